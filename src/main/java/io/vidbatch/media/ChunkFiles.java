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

    public Path psnr(int rung) {
        return dir.resolve(statsName(chunk, rung) + ".psnr");
    }

    public Path ssim(int rung) {
        return dir.resolve(statsName(chunk, rung) + ".ssim");
    }

    /** The measuring filters' stats files' name, before {@code .psnr} and {@code .ssim}. */
    static String statsName(int chunk, int rung) {
        return "chunk-" + chunk + "-r" + rung;
    }
}
