package io.vidbatch.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An adaptive-bitrate ladder: the renditions (rungs) one source is encoded to, for players that
 * switch between them. A built-in ladder by name, or the user's own rungs:
 * {@code 720:h264:23:3M,360:h264:26:800k} (lines, codec, CRF, peak rate).
 */
public record Ladder(String name, List<Rung> rungs) {

    /** Every rung's keyframes fall on the same frames, this far apart: players switch there. */
    public static final double SEGMENT_SECONDS = 4;

    public static final int MAX_RUNGS = 8;
    private static final int MIN_LINES = 144;
    private static final int MAX_LINES = 2160;

    /** Encoders a ladder can use: each with closed GOPs whose keyframes come only where placed. */
    public enum Family {
        H264("h264", 51, List.of("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high")),
        HEVC("hevc", 51, List.of("-c:v", "libx265", "-preset", "fast", "-tag:v", "hvc1")),
        /** SVT-AV1 at preset 8: the speed a night of batch work can afford (figures in docs/performance.md). */
        AV1("av1", 63, List.of("-c:v", "libsvtav1", "-preset", "8"));

        final String id;
        final int maxCrf;
        final List<String> args;

        Family(String id, int maxCrf, List<String> args) {
            this.id = id;
            this.maxCrf = maxCrf;
            this.args = args;
        }

        public String id() {
            return id;
        }

        static Family named(String id) {
            return Arrays.stream(values())
                    .filter(f -> f.id.equals(id))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalArgumentException("unknown codec '" + id + "' (known: h264, hevc, av1)"));
        }
    }

    /**
     * One rendition: the picture's lines (its height, or its width when the source stands
     * upright), the encoder, its constant rate factor and the peak rate it may not exceed.
     */
    public record Rung(int lines, Family family, int crf, String peak) {

        /** How the rung reads in a ladder's text, and in the report: {@code 720:h264:23:3M}. */
        public String spec() {
            return lines + ":" + family.id + ":" + crf + ":" + peak;
        }

        /** The peak rate in bits per second. */
        public long peakBits() {
            return Ladder.bits(peak);
        }
    }

    /**
     * A rung fitted to one source: its picture size, and the pixel shape that keeps the source's
     * exact aspect ratio when the size had to be rounded to even numbers (426x240 for 16:9), as
     * DASH requires every rung of a set to have the same one.
     */
    public record Fitted(Rung rung, int width, int height, long sarNum, long sarDen) {

        static Fitted of(Rung rung, int width, int height, int sourceWidth, int sourceHeight) {
            long num = (long) sourceWidth * height;
            long den = (long) sourceHeight * width;
            long g = java.math.BigInteger.valueOf(num)
                    .gcd(java.math.BigInteger.valueOf(den))
                    .longValue();
            return new Fitted(rung, width, height, num / g, den / g);
        }

        /** The picture's shape on screen, reduced: {@code 16:9}. */
        public String displayAspect() {
            long num = width * sarNum;
            long den = height * sarDen;
            long g = java.math.BigInteger.valueOf(num)
                    .gcd(java.math.BigInteger.valueOf(den))
                    .longValue();
            return num / g + ":" + den / g;
        }

        /** Names the rendition's files and the report's row: {@code h264-720p}. */
        public String id() {
            return rung.family.id + "-" + rung.lines + "p";
        }
    }

    private static final Map<String, String> BUILT_IN = Map.of(
            "h264-ladder",
            "1080:h264:22:6M,720:h264:23:3500k,540:h264:24:2M,360:h264:25:1M,240:h264:26:500k",
            "hevc-ladder",
            "1080:hevc:25:4M,720:hevc:26:2400k,540:hevc:27:1400k,360:hevc:28:700k,240:hevc:29:350k",
            "av1-ladder",
            "1080:av1:32:3500k,720:av1:33:2M,540:av1:34:1200k,360:av1:36:600k,240:av1:38:300k");

    private static final Pattern RATE = Pattern.compile("[1-9][0-9]{0,5}(k|M)");

    /** The ladders a user can name. */
    public static String names() {
        return BUILT_IN.keySet().stream().sorted().collect(Collectors.joining(", "));
    }

    /**
     * A built-in ladder by name, or rungs as {@code lines:codec:crf:peak} separated by commas.
     *
     * @throws IllegalArgumentException saying what is wrong, for the user
     */
    public static Ladder parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty: name a ladder (" + names() + ") or give rungs");
        }
        String t = text.strip();
        String builtIn = BUILT_IN.get(t);
        return new Ladder(builtIn != null ? t : "custom", rungs(builtIn != null ? builtIn : t));
    }

    private static List<Rung> rungs(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_RUNGS) {
            throw new IllegalArgumentException(parts.length + " rungs; at most " + MAX_RUNGS);
        }
        List<Rung> rungs = new ArrayList<>();
        for (String part : parts) {
            Rung r = rung(part.strip());
            if (rungs.stream().anyMatch(o -> o.lines == r.lines && o.family == r.family)) {
                throw new IllegalArgumentException("two rungs of " + r.lines + " lines in " + r.family.id);
            }
            rungs.add(r);
        }
        return List.copyOf(rungs);
    }

    private static Rung rung(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        String[] f = text.split(":", -1);
        if (f.length != 4) {
            throw new IllegalArgumentException("rung '" + shown
                    + "': expected lines:codec:crf:peak, e.g. 720:h264:23:3M (or a ladder's name: " + names() + ")");
        }
        int lines = number(f[0], "lines", shown);
        if (lines < MIN_LINES || lines > MAX_LINES || lines % 2 != 0) {
            throw new IllegalArgumentException(
                    "rung '" + shown + "': lines must be even, from " + MIN_LINES + " to " + MAX_LINES);
        }
        Family family = Family.named(f[1]);
        int crf = number(f[2], "crf", shown);
        int maxCrf = family.maxCrf;
        if (crf > maxCrf) {
            throw new IllegalArgumentException("rung '" + shown + "': crf must be from 0 to " + maxCrf);
        }
        if (!RATE.matcher(f[3]).matches() || bits(f[3]) < 100_000 || bits(f[3]) > 100_000_000) {
            throw new IllegalArgumentException(
                    "rung '" + shown + "': peak must be a rate from 100k to 100M, like 800k or 3M");
        }
        return new Rung(lines, family, crf, f[3]);
    }

    private static int number(String text, String what, String shown) {
        if (!text.matches("[0-9]{1,4}")) {
            throw new IllegalArgumentException("rung '" + shown + "': " + what + " must be a whole number");
        }
        return Integer.parseInt(text);
    }

    static long bits(String rate) {
        long n = Long.parseLong(rate.substring(0, rate.length() - 1));
        return rate.endsWith("M") ? n * 1_000_000 : n * 1_000;
    }

    /**
     * Whether keyframes are placed by frame count rather than by time: SVT-AV1 as this ffmpeg
     * (5.1) drives it ignores forced keyframes and takes only an interval in frames, so a ladder
     * with an AV1 rung places every rung's keyframes that way, and needs a constant frame rate
     * for them to fall every {@link #SEGMENT_SECONDS}.
     */
    public boolean keyframesByCount() {
        return rungs.stream().anyMatch(r -> r.family == Family.AV1);
    }

    /** How the user named it: a built-in ladder's name, or the rungs. {@link #parse} reads either. */
    public String text() {
        return name.equals("custom") ? spec() : name;
    }

    /** The rungs as text, the form {@link #parse} reads: what a work item carries. */
    public String spec() {
        return rungs.stream().map(Rung::spec).collect(Collectors.joining(","));
    }

    /**
     * The rungs for a source of this displayed size, largest first: a rung is never above the
     * source (upscaling adds bits, not picture), and the rest are said in {@code skipped}.
     */
    public Fit fit(int displayWidth, int displayHeight) {
        boolean upright = displayHeight > displayWidth;
        int shortSide = Math.min(displayWidth, displayHeight);
        List<Fitted> kept = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Rung r : rungs.stream()
                .sorted((a, b) -> Integer.compare(b.lines, a.lines))
                .toList()) {
            if (r.lines > shortSide) {
                skipped.add(String.format(
                        Locale.ROOT,
                        "%s: above the source's %dx%d, not upscaled",
                        r.spec(),
                        displayWidth,
                        displayHeight));
                continue;
            }
            int other = even((double) r.lines * Math.max(displayWidth, displayHeight) / shortSide);
            kept.add(
                    upright
                            ? Fitted.of(r, r.lines, other, displayWidth, displayHeight)
                            : Fitted.of(r, other, r.lines, displayWidth, displayHeight));
        }
        return new Fit(kept, skipped);
    }

    /** @param skipped each rung left out and why, as the report says it */
    public record Fit(List<Fitted> kept, List<String> skipped) {}

    private static int even(double v) {
        int n = (int) Math.round(v);
        return Math.max(2, n - (n % 2));
    }
}
