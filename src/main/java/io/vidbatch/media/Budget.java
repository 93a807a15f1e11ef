package io.vidbatch.media;

import java.util.Locale;
import java.util.Optional;

/**
 * What one work item may ask of the worker that runs it. A file's size says nothing about the
 * memory its decoding takes: 194 KB of 8192x8192 video held 775 MB of ffmpeg's memory. A
 * picture's size and the pixels a second to decode are known from the probe, before any
 * worker is given the file, so an input over either is refused with the figures.
 *
 * @param maxFramePixels pixels in one picture (8192x4320, DCI 8K, by default)
 * @param maxPixelRate   pixels a second (8192x4320 at 60 frames a second by default)
 */
public record Budget(long maxFramePixels, long maxPixelRate) {

    public static final Budget DEFAULT = new Budget(8192L * 4320, 8192L * 4320 * 60);

    /** Why this video is over budget, or empty. */
    public Optional<String> exceededBy(MediaInfo.Video v) {
        long pixels = (long) v.width() * v.height();
        if (pixels > maxFramePixels) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "%dx%d is %.1f megapixels a picture; this server takes at most %.1f (MAX_FRAME_PIXELS)",
                    v.width(),
                    v.height(),
                    pixels / 1e6,
                    maxFramePixels / 1e6));
        }
        double fps = framesPerSecond(v);
        double rate = pixels * fps;
        if (rate > maxPixelRate) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "%dx%d at %.2f frames a second is %.0f megapixels a second; this server takes at most %.0f (MAX_PIXEL_RATE)",
                    v.width(),
                    v.height(),
                    fps,
                    rate / 1e6,
                    maxPixelRate / 1e6));
        }
        return Optional.empty();
    }

    /** The stream's declared rate, or when it declares none (0/0), its frames over its duration. */
    private static double framesPerSecond(MediaInfo.Video v) {
        double declared = Math.max(v.frameRate(), v.baseFrameRate());
        if (declared > 0 && Double.isFinite(declared)) {
            return declared;
        }
        return v.streamDuration() > 0 ? v.frames() / v.streamDuration() : 0;
    }
}
