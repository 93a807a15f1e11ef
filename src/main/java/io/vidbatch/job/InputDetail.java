package io.vidbatch.job;

import io.vidbatch.media.Expected;
import io.vidbatch.media.MediaInfo;
import io.vidbatch.media.Quality;
import io.vidbatch.media.StreamPlan;

import java.util.List;

/**
 * What we know about one input, stored with it as JSON: its source as probed, what the output
 * must measure, how it was split, what becomes of each of its streams and chapters, and, once
 * assembled, what came out.
 *
 * @param unmeasured why the quality asked for cannot be measured (an operation changes the
 *                   picture, an HDR source is tone-mapped), or null
 */
public record InputDetail(
        Source source,
        Expected expected,
        int segments,
        Output output,
        List<StreamPlan.Fate> streams,
        int chapters,
        LadderOutput ladder,
        String unmeasured) {

    /** The source as ffprobe saw it. */
    public record Source(
            String codec,
            int width,
            int height,
            int rotation,
            double frameRate,
            long frames,
            double seconds,
            boolean audio,
            long bytes) {
        public static Source of(MediaInfo m) {
            MediaInfo.Video v = m.video();
            return new Source(
                    v.codec(),
                    v.width(),
                    v.height(),
                    v.rotation(),
                    v.frameRate(),
                    v.frames(),
                    v.streamDuration(),
                    m.hasAudio(),
                    m.sizeBytes());
        }
    }

    /**
     * The verified output and how long it took.
     *
     * @param quality    the output against its source, when measured (a ladder's are per rendition)
     * @param worstFrame the frame with the lowest PSNR (from 0, in display order), when measured
     * @param worstImage a JPEG of that frame beside the output
     * @param vmaf       beside measured figures: why VMAF is not among them
     * @param unmeasured why the quality asked for was not measured, or null
     */
    public record Output(
            String path,
            long bytes,
            int width,
            int height,
            long frames,
            double seconds,
            boolean audio,
            double encodeSeconds,
            double encodeFps,
            List<String> workers,
            List<String> thumbnails,
            Quality quality,
            Long worstFrame,
            String worstImage,
            String vmaf,
            String unmeasured) {
        /** A verified output as made, before thumbnails and quality are added. */
        public static Output of(
                String path,
                long bytes,
                int width,
                int height,
                long frames,
                double seconds,
                boolean audio,
                double encodeSeconds,
                double encodeFps,
                List<String> workers) {
            return new Output(
                    path,
                    bytes,
                    width,
                    height,
                    frames,
                    seconds,
                    audio,
                    encodeSeconds,
                    encodeFps,
                    workers,
                    List.of(),
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        public Output withThumbnails(List<String> files) {
            return new Output(
                    path,
                    bytes,
                    width,
                    height,
                    frames,
                    seconds,
                    audio,
                    encodeSeconds,
                    encodeFps,
                    workers,
                    files,
                    quality,
                    worstFrame,
                    worstImage,
                    vmaf,
                    unmeasured);
        }

        public Output withQuality(Quality q, Long worst, String image, String vmafVerdict, String why) {
            return new Output(
                    path,
                    bytes,
                    width,
                    height,
                    frames,
                    seconds,
                    audio,
                    encodeSeconds,
                    encodeFps,
                    workers,
                    thumbnails,
                    q,
                    worst,
                    image,
                    vmafVerdict,
                    why);
        }
    }

    public InputDetail withOutput(Output o) {
        return new InputDetail(source, expected, segments, o, streams, chapters, ladder, unmeasured);
    }

    public InputDetail withLadder(LadderOutput l) {
        return new InputDetail(source, expected, segments, output, streams, chapters, l, unmeasured);
    }

    /** Planned in segments, made whole: no segment is part of the output. */
    public InputDetail encodedWhole() {
        return new InputDetail(source, expected, 0, output, streams, chapters, ladder, unmeasured);
    }
}
