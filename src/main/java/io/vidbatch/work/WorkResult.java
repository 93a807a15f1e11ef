package io.vidbatch.work;

/**
 * What a worker reports for a finished item (JSON): the output as its check read it (for a
 * video segment, as ffmpeg reported writing it: width and height 0, the planned duration), and
 * the encode's cost.
 *
 * @param seconds       the output's video duration (audio duration for an audio item)
 * @param worker        where it ran (host, process or pod)
 * @param encodeSeconds wall time of the encode
 * @param encodeFps     frames encoded per wall second
 * @param finishedAt    when the encode ended, epoch milliseconds on the worker's clock (0 when unknown):
 *                      with encodeSeconds it places the item on a timeline
 */
public record WorkResult(
        String output,
        long bytes,
        int width,
        int height,
        long frames,
        double seconds,
        boolean audio,
        double encodeSeconds,
        double encodeFps,
        String worker,
        long finishedAt) {}
