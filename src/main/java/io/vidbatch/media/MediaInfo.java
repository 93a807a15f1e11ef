package io.vidbatch.media;

import java.util.List;

/**
 * What ffprobe says about a file, reduced to what planning and verification need.
 *
 * @param startSeconds    container start time (ffmpeg shifts outputs by it)
 * @param durationSeconds container duration
 * @param video           the first video stream, or null when there is none
 * @param streams         every stream, in the file's order
 * @param chapters        how many chapters the file has
 */
public record MediaInfo(
        double startSeconds, double durationSeconds, long sizeBytes, Video video, List<Stream> streams, int chapters) {

    /**
     * One stream of the file.
     *
     * @param index     its index in the file
     * @param type      {@code video}, {@code audio}, {@code subtitle}, {@code data} or {@code attachment}
     * @param typeIndex its place among the file's streams of that type: ffmpeg's {@code 0:a:N}
     * @param language  the language tag, or null
     * @param title     the title tag, or null
     * @param isDefault whether it is marked as the default of its type
     * @param coverArt  a video stream that is an attached picture
     */
    public record Stream(
            int index,
            String type,
            int typeIndex,
            String codec,
            String language,
            String title,
            boolean isDefault,
            boolean coverArt) {}

    public boolean hasAudio() {
        return count("audio") > 0;
    }

    public List<Stream> ofType(String type) {
        return streams.stream().filter(s -> s.type().equals(type)).toList();
    }

    public int count(String type) {
        return ofType(type).size();
    }

    /**
     * @param width, height  coded size (before rotation)
     * @param rotation       display rotation in degrees, normalised to 0, 90, 180 or 270
     * @param frameRate      average frame rate (frames per second)
     * @param baseFrameRate  the rate all timestamps fit (r_frame_rate); above the average for variable frame rate
     * @param frames         number of video packets (= frames) in the stream
     * @param streamDuration duration of the video stream alone, or the container's when unknown
     * @param transfer       the colour transfer tag ({@code bt709}, {@code smpte2084}, ...), or null
     * @param primaries      the colour primaries tag ({@code bt709}, {@code bt2020}), or null
     * @param matrix         the colour matrix tag ({@code bt709}, {@code bt2020nc}), or null
     */
    public record Video(
            String codec,
            int width,
            int height,
            int rotation,
            double frameRate,
            double baseFrameRate,
            long frames,
            double streamDuration,
            String transfer,
            String primaries,
            String matrix) {

        /** High dynamic range: PQ (HDR10) or HLG. */
        public boolean hdr() {
            return "smpte2084".equals(transfer) || "arib-std-b67".equals(transfer);
        }

        /** Frames are not evenly spaced: the average rate is clearly below the base rate. */
        public boolean variableFrameRate() {
            return baseFrameRate > 0 && frameRate > 0 && Math.abs(baseFrameRate - frameRate) / baseFrameRate > 0.01;
        }

        /** Width as displayed, after rotation metadata is applied (ffmpeg autorotates). */
        public int displayWidth() {
            return rotation % 180 == 0 ? width : height;
        }

        public int displayHeight() {
            return rotation % 180 == 0 ? height : width;
        }

        public double frameSeconds() {
            return frameRate > 0 ? 1.0 / frameRate : 0.04;
        }
    }
}
