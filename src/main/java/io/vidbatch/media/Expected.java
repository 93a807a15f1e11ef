package io.vidbatch.media;

/**
 * What a correct output must measure, derived from the source when the work is planned.
 *
 * @param frames          video frames expected (0 when the output has no video)
 * @param frameTolerance  allowed difference in frames (0 unless a frame-rate change makes the
 *                        count depend on rounding)
 * @param seconds         expected duration
 * @param tolerance       allowed duration difference in seconds (one frame)
 * @param video           whether the output must have a video stream
 * @param audioStreams    how many audio streams the output must have, exactly
 * @param subtitleStreams how many subtitle streams the output must have, exactly
 * @param chapters        how many chapters the output must have, exactly
 * @param transfer        the colour transfer the picture must be tagged with ({@code smpte2084} for HDR
 *                        kept, {@code bt709} for HDR tone-mapped), or null where the source's tags go on
 */
public record Expected(
        long frames,
        int frameTolerance,
        double seconds,
        double tolerance,
        boolean video,
        int audioStreams,
        int subtitleStreams,
        int chapters,
        String transfer) {

    /**
     * One audio stream or none, no subtitles, no chapters: a video segment, or a single-track
     * output. (A factory, not a constructor: JSON-B builds records through their only constructor.)
     */
    public static Expected of(
            long frames, int frameTolerance, double seconds, double tolerance, boolean video, boolean audio) {
        return new Expected(frames, frameTolerance, seconds, tolerance, video, audio ? 1 : 0, 0, 0, null);
    }

    public boolean audio() {
        return audioStreams > 0;
    }
}
