package io.vidbatch.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads ffmpeg's {@code framecrc} listing of one stream: a {@code #tb 0: num/den} header, then a
 * line per packet, {@code stream, dts, pts, duration, size, checksum}.
 */
final class FrameCrc {

    private FrameCrc() {}

    /** Each packet's presentation time in seconds, in the order listed. */
    static List<Double> ptsSeconds(String listing) throws BadMediaException {
        double timeBase = 0;
        List<Double> times = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String l = line.strip();
            if (l.startsWith("#tb 0:")) {
                timeBase = Prober.rational(l.substring("#tb 0:".length()).strip());
            } else if (!l.isEmpty() && !l.startsWith("#")) {
                String[] f = l.split(",");
                if (f.length < 3 || !(timeBase > 0)) {
                    throw new BadMediaException("unreadable packet listing: '" + l + "'");
                }
                try {
                    times.add(Long.parseLong(f[2].strip()) * timeBase);
                } catch (NumberFormatException e) {
                    throw new BadMediaException("unreadable packet listing: '" + l + "'");
                }
            }
        }
        return times;
    }
}
