package io.vidbatch.media;

import java.nio.file.Path;
import java.util.List;

/**
 * What measuring one encode leaves, under one stem: the {@code psnr} and {@code ssim} filters'
 * frame-by-frame stats, the filters' means (written last, by whoever reads the run's log) and
 * ffmpeg's log of the run. The stem's name goes into a filter graph as it is: letters, digits,
 * dots and dashes only.
 */
public record QualityFiles(Path stem) {

    public Path psnr() {
        return sibling(".psnr");
    }

    public Path ssim() {
        return sibling(".ssim");
    }

    public Path means() {
        return sibling(".json");
    }

    public Path log() {
        return sibling(".log");
    }

    public List<Path> all() {
        return List.of(psnr(), ssim(), means(), log());
    }

    private Path sibling(String extension) {
        return stem.resolveSibling(stem.getFileName() + extension);
    }
}
