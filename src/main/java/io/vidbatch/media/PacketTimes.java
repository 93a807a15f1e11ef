package io.vidbatch.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A video stream's packets (time, keyframe flag) in decode order: what planning reads off a source. */
public final class PacketTimes {

    /** Reordering depth of real encoders is far below this window. */
    private static final int REORDER_WINDOW = 32;

    public record Packet(double pts, boolean keyframe) {}

    /** The same packets, with the pictures a decoder can start at (null: the keyframe flag says it). */
    public PacketTimes withRandomAccess(List<Double> times) {
        return new PacketTimes(packets, times);
    }

    /** How far apart a packet's time and a random access point's may be and still be the same picture. */
    private static final double SAME_TIME = 1e-4;

    private final List<Packet> packets;
    /** Sorted times of the pictures a decoder can start at, as the bitstream says; null when not known. */
    private final double[] randomAccess;

    public PacketTimes(List<Packet> packets) {
        this(packets, null);
    }

    /**
     * @param randomAccess the pictures a decoder can start at as the bitstream marks them (H.264
     *                     IDR, HEVC IRAP), or null for codecs whose keyframe flag says it already
     */
    public PacketTimes(List<Packet> packets, List<Double> randomAccess) {
        this.packets = List.copyOf(packets);
        this.randomAccess = randomAccess == null
                ? null
                : randomAccess.stream()
                        .mapToDouble(Double::doubleValue)
                        .sorted()
                        .toArray();
    }

    /**
     * Times at which the video can be cut: keyframes the bitstream marks as random access points
     * (an H.264 I-frame that is not an IDR lets later frames refer to earlier ones, and a piece
     * cut there decodes to garbage, often without a word from the decoder) that no later packet
     * (in decode order) displays before. Open-GOP recovery points carry the keyframe flag but
     * have such "leading" pictures, which a cut would drop silently.
     */
    public List<Double> cleanCutTimes() {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).keyframe() && randomAccess(packets.get(i).pts()) && noLeadingPictures(i)) {
                times.add(packets.get(i).pts());
            }
        }
        times.sort(Double::compare);
        return times;
    }

    /** When the first picture is shown, in seconds (0 for a stream without packets). */
    public double firstTime() {
        return packets.stream().mapToDouble(Packet::pts).min().orElse(0);
    }

    /** How many frames are displayed from {@code from} (inclusive) to {@code to} (exclusive), in seconds. */
    public long framesBetween(double from, double to) {
        return packets.stream().filter(p -> p.pts() >= from && p.pts() < to).count();
    }

    /** Every frame's time, in display order. */
    public double[] sortedTimes() {
        return packets.stream().mapToDouble(Packet::pts).sorted().toArray();
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

    private boolean randomAccess(double pts) {
        if (randomAccess == null) {
            return true;
        }
        int i = Arrays.binarySearch(randomAccess, pts - SAME_TIME);
        int at = i >= 0 ? i : -i - 1;
        return at < randomAccess.length && randomAccess[at] <= pts + SAME_TIME;
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
