package io.vidbatch.media;

import java.util.ArrayList;
import java.util.List;

/**
 * A stretch of a source that one work item decodes once and encodes to every rung of a ladder.
 * Its edges lie halfway between two frames, so each frame belongs to exactly one chunk however
 * ffmpeg rounds a time; its first frame starts the chunk's timeline at zero.
 *
 * @param index  0 for the first
 * @param from   where the chunk starts in the source's timeline, seconds (halfway before its first frame)
 * @param to     where it ends (halfway after its last frame), or infinity for the last chunk
 * @param first  its first frame's time in the source's timeline
 * @param frames how many frames it holds
 * @param seconds from its first frame to the next chunk's first frame (or the source's end)
 * @param seek   where reading starts, seconds after the source's first frame: a picture a
 *               decoder can start at, before the chunk (0: from the beginning)
 */
public record Chunk(int index, double from, double to, double first, long frames, double seconds, double seek) {

    /** Reading starts at an entry point at least this far before the chunk's first frame. */
    private static final double MARGIN = 0.1;

    /**
     * The source cut into chunks of about {@code length} seconds (a multiple of the ladder's
     * segment length, so each chunk's keyframes fall where a whole encode's would), at frames.
     *
     * @param times   every frame's time, sorted
     * @param end     the source's end, for the last chunk's length
     * @param entries the times of pictures a decoder can start at ({@link PacketTimes#cleanCutTimes}),
     *                sorted: a chunk is read from the last one before it, or from the beginning
     */
    public static List<Chunk> cut(double[] times, double length, double end, List<Double> entries) {
        List<Chunk> chunks = new ArrayList<>();
        if (times.length == 0) {
            return chunks;
        }
        double origin = times[0];
        int start = 0;
        double from = Double.NEGATIVE_INFINITY;
        while (start < times.length) {
            double target = origin + (chunks.size() + 1) * length;
            int next = start + 1;
            while (next < times.length && times[next] < target) {
                next++;
            }
            // A tail shorter than a segment goes with the chunk before it.
            if (next < times.length && times[times.length - 1] - times[next] < Ladder.SEGMENT_SECONDS) {
                next = times.length;
            }
            boolean last = next >= times.length;
            double to = last ? Double.POSITIVE_INFINITY : (times[next - 1] + times[next]) / 2;
            double seconds = (last ? Math.max(end, times[times.length - 1]) : times[next]) - times[start];
            double first = times[start];
            double seek = entries.stream()
                    .filter(t -> t <= first - MARGIN)
                    .reduce((a, b) -> b)
                    .map(t -> t - origin)
                    .orElse(0.0);
            chunks.add(new Chunk(chunks.size(), from, to, times[start], next - start, seconds, seek));
            from = to;
            start = next;
        }
        return chunks;
    }

    /** A chunk length that is a whole number of segments: at least one, about {@code asked}. */
    public static double length(double asked) {
        return Math.max(1, Math.round(asked / Ladder.SEGMENT_SECONDS)) * Ladder.SEGMENT_SECONDS;
    }
}
