package io.vidbatch.media;

import java.util.List;

/**
 * How many threads an ffmpeg that decodes or encodes may use: the CPUs of the place it runs
 * (container, pod, cgroup), which the JVM counts and ffmpeg does not. Left to itself, ffmpeg,
 * x265 and SVT-AV1 count the host's cores: on a 64-core node a pod limited to 2 CPUs would
 * start dozens of threads per encode and be throttled, every thread waiting on the quota.
 *
 * @param count threads for each of decoding, filtering and encoding
 */
public record Threads(int count) {

    public Threads {
        if (count < 1) {
            throw new IllegalArgumentException("threads: " + count);
        }
    }

    /** Read for each command: a container's CPU limit can be changed while the JVM runs. */
    public static Threads here() {
        return new Threads(Runtime.getRuntime().availableProcessors());
    }

    /** Global option: the threads of the filter graph (scaling, tone mapping, drawing text). */
    public List<String> filters() {
        return List.of("-filter_threads", n());
    }

    /** Input option, before its {@code -i}: the decoder's threads. */
    public List<String> decoder() {
        return List.of("-threads", n());
    }

    /**
     * Output option: the encoders' threads (x264, libvpx, SVT-AV1, ffmpeg's own). Not for x265:
     * ffmpeg hands this number to x265 as its count of frames encoded at once, which costs
     * compression; x265's threads are its pool, see {@link #x265Param()}.
     */
    public List<String> encoder() {
        return List.of("-threads", n());
    }

    /** x265's worker pool, for {@code -x265-params}; x265 picks its frame threads from the pool. */
    public String x265Param() {
        return "pools=" + count;
    }

    /**
     * SVT-AV1's logical processors, for {@code -svtav1-params}: it counts the host's cores
     * whatever {@code -threads} says (checked with ffmpeg 5.1 and SVT-AV1 1.4).
     */
    public String svtAv1Param() {
        return "lp=" + count;
    }

    private String n() {
        return Integer.toString(count);
    }
}
