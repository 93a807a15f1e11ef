package io.vidbatch.media;

/**
 * What ffprobe says about a file, reduced to what planning and verification need.
 *
 * @param startSeconds    container start time (ffmpeg shifts outputs by it)
 * @param durationSeconds container duration
 * @param video           the first video stream, or null when there is none
 * @param hasAudio        whether an audio stream is present
 */
public record MediaInfo(double startSeconds, double durationSeconds, long sizeBytes, Video video, boolean hasAudio) {

    /**
     * @param width, height  coded size (before rotation)
     * @param rotation       display rotation in degrees, normalised to 0, 90, 180 or 270
     * @param frameRate      average frame rate (frames per second)
     * @param baseFrameRate  the rate all timestamps fit (r_frame_rate); above the average for variable frame rate
     * @param frames         number of video packets (= frames) in the stream
     * @param streamDuration duration of the video stream alone, or the container's when unknown
     */
    public record Video(String codec, int width, int height, int rotation, double frameRate, double baseFrameRate,
                        long frames, double streamDuration) {

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
