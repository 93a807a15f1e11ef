package io.vidbatch.media;

import java.nio.file.Path;

/**
 * Where one chunk of a ladder input keeps its renditions and measurements, in the input's work
 * folder: {@code chunk-3-h264-720p.mp4}, {@code chunk-3-r1.psnr}, and its summary
 * {@code chunk-3.json}, written last.
 */
public record ChunkFiles(Path dir, int chunk) {

    public Path rendition(String rungId) {
        return dir.resolve("chunk-" + chunk + "-" + rungId + ".mp4");
    }

    public Path summary() {
        return dir.resolve("chunk-" + chunk + ".json");
    }

    /** What measuring a rung's rendition of this chunk leaves. */
    public QualityFiles quality(int rung) {
        return new QualityFiles(dir.resolve("chunk-" + chunk + "-r" + rung));
    }
}
