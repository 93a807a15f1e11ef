package io.vidbatch.launch;

/**
 * What a worker reports for a finished item (JSON).
 *
 * @param worker        where it ran (host, process or pod)
 * @param encodeSeconds wall time of the encode
 * @param encodeFps     frames encoded per wall second
 */
public record WorkResult(String output, long bytes, long frames, double durationSeconds, double encodeSeconds,
                         double encodeFps, String worker) {
}
