package io.vidbatch.media;

/**
 * What a correct output must measure, derived from the source when the work is planned.
 *
 * @param frames         video frames expected (0 when the output has no video)
 * @param frameTolerance allowed difference in frames (0 unless a frame-rate change makes the
 *                       count depend on rounding)
 * @param seconds        expected duration
 * @param tolerance      allowed duration difference in seconds (one frame)
 * @param video          whether the output must have a video stream
 * @param audio          whether the output must have an audio stream (and must not, if false)
 */
public record Expected(long frames, int frameTolerance, double seconds, double tolerance, boolean video, boolean audio) {
}
