package io.vidbatch.media;

import java.util.ArrayList;
import java.util.List;

/** A video stream's packets (time, keyframe flag) in decode order: what planning reads off a source. */
public final class PacketTimes {

    /** Reordering depth of real encoders is far below this window. */
    private static final int REORDER_WINDOW = 32;

    public record Packet(double pts, boolean keyframe) {
    }

    private final List<Packet> packets;

    public PacketTimes(List<Packet> packets) {
        this.packets = List.copyOf(packets);
    }

    /**
     * Times at which the video can be cut with stream copy: keyframes that no later packet (in
     * decode order) displays before. Open-GOP recovery points carry the keyframe flag but have
     * such "leading" pictures, which a cut would drop silently.
     */
    public List<Double> cleanCutTimes() {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).keyframe() && noLeadingPictures(i)) {
                times.add(packets.get(i).pts());
            }
        }
        times.sort(Double::compare);
        return times;
    }

    /** How many frames are displayed from {@code from} (inclusive) to {@code to} (exclusive), in seconds. */
    public long framesBetween(double from, double to) {
        return packets.stream().filter(p -> p.pts() >= from && p.pts() < to).count();
    }

    /** The longest gap between consecutive frames, in seconds: "one frame" for a variable frame rate. */
    public double longestFrameInterval() {
        double[] pts = packets.stream().mapToDouble(Packet::pts).sorted().toArray();
        double longest = 0;
        for (int i = 1; i < pts.length; i++) {
            longest = Math.max(longest, pts[i] - pts[i - 1]);
        }
        return longest;
    }

    private boolean noLeadingPictures(int key) {
        double pts = packets.get(key).pts();
        for (int j = key + 1; j < Math.min(packets.size(), key + 1 + REORDER_WINDOW); j++) {
            if (packets.get(j).pts() < pts) {
                return false;
            }
        }
        return true;
    }
}
