package io.vidbatch.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Parses the {@code operations} parameter: operations separated by {@code ;}, each a name with
 * optional {@code (key=value, ...)}; values may be double-quoted (with {@code \"} and
 * {@code \\}). Example: {@code scale(height=720); watermark(text="ACME, 2026", position=top-left)}.
 * Every name, key and value is checked; the error says which and why.
 */
public final class Operations {

    public static final String NAMES = "scale, fps, crop, deinterlace, denoise, watermark, loudness, thumbnail";
    private static final Pattern FRACTION = Pattern.compile("(\\d{1,6})(?:/(\\d{1,6}))?");
    private static final int MAX_OPERATIONS = 32;

    private Operations() {}

    public static List<Operation> parse(String text) {
        List<Operation> ops = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return ops;
        }
        Parser p = new Parser(text);
        while (p.skipSpace() && p.more()) {
            ops.add(build(p.name(), p.arguments()));
            p.skipSpace();
            if (p.more()) {
                p.expect(';');
            }
            if (ops.size() > MAX_OPERATIONS) {
                throw new IllegalArgumentException("more than " + MAX_OPERATIONS + " operations");
            }
        }
        for (Class<?> once : List.of(Operation.Fps.class, Operation.Watermark.class)) {
            if (ops.stream().filter(once::isInstance).count() > 1) {
                throw new IllegalArgumentException(
                        once.getSimpleName().toLowerCase(Locale.ROOT) + " may be given once");
            }
        }
        return ops;
    }

    /** The normalised text of a parsed list; parsing it again gives the same list. */
    public static String format(List<Operation> ops) {
        return String.join("; ", ops.stream().map(Operation::spec).toList());
    }

    public static Optional<Operation.Fps> fps(List<Operation> ops) {
        return ops.stream()
                .filter(o -> o instanceof Operation.Fps)
                .map(o -> (Operation.Fps) o)
                .findFirst();
    }

    /** Output frames per input frame: 2 when deinterlacing to fields, else 1. */
    public static int frameFactor(List<Operation> ops) {
        return ops.stream().anyMatch(o -> o instanceof Operation.Deinterlace d && d.perField()) ? 2 : 1;
    }

    private static Operation build(String name, Map<String, String> args) {
        Args a = new Args(name, args);
        Operation op = switch (name) {
            case "scale" -> {
                a.allow("width", "height");
                Integer w = a.optionalInt("width", 16, 7680);
                Integer h = a.optionalInt("height", 16, 4320);
                if (w == null && h == null) {
                    throw a.error("needs width, height or both");
                }
                a.even("width", w);
                a.even("height", h);
                yield new Operation.Scale(w, h);
            }
            case "fps" -> {
                a.allow("rate");
                String rate = a.required("rate");
                var m = FRACTION.matcher(rate);
                if (!m.matches()) {
                    throw a.error("rate '" + rate + "' must be a number like 30 or a fraction like 30000/1001");
                }
                long num = Long.parseLong(m.group(1));
                long den = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
                double value = den == 0 ? 0 : (double) num / den;
                if (!(value >= 1 && value <= 240)) {
                    throw a.error("rate '" + rate + "' must be between 1 and 240 frames per second");
                }
                yield new Operation.Fps(num, den);
            }
            case "crop" -> {
                a.allow("width", "height", "x", "y");
                int w = a.requiredInt("width", 16, 7680);
                int h = a.requiredInt("height", 16, 4320);
                a.even("width", w);
                a.even("height", h);
                yield new Operation.Crop(w, h, a.optionalInt("x", 0, 7680), a.optionalInt("y", 0, 4320));
            }
            case "deinterlace" -> {
                a.allow("mode");
                String mode = a.oneOf("mode", "frame", Set.of("frame", "field"));
                yield new Operation.Deinterlace(mode.equals("field"));
            }
            case "denoise" -> {
                a.allow("strength");
                yield new Operation.Denoise(a.oneOf("strength", "medium", Set.of("light", "medium", "strong")));
            }
            case "watermark" -> {
                a.allow("text", "position", "size");
                String text = a.required("text");
                if (text.isBlank() || text.length() > 200) {
                    throw a.error("text must have 1 to 200 characters");
                }
                if (text.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
                    throw a.error("text must not contain control characters");
                }
                String pos = a.oneOf(
                        "position",
                        "bottom-right",
                        Set.of("top-left", "top-right", "bottom-left", "bottom-right", "center"));
                Integer size = a.optionalInt("size", 8, 200);
                yield new Operation.Watermark(text, pos, size == null ? 24 : size);
            }
            case "loudness" -> {
                a.allow("target");
                double target = a.optionalDouble("target", -70, -5, -23);
                yield new Operation.Loudness(target);
            }
            case "thumbnail" -> {
                a.allow("at", "width");
                String at = a.args.getOrDefault("at", "10%");
                boolean percent = at.endsWith("%");
                double value;
                try {
                    value = Double.parseDouble(percent ? at.substring(0, at.length() - 1) : at);
                } catch (NumberFormatException e) {
                    throw a.error("at '" + at + "' must be seconds (e.g. 5) or a percentage (e.g. 50%)");
                }
                if (!(value >= 0) || (percent && value > 100) || value > 86400) {
                    throw a.error("at '" + at + "' is out of range");
                }
                Integer width = a.optionalInt("width", 32, 1920);
                yield new Operation.Thumbnail(value, percent, width == null ? 320 : width);
            }
            default -> throw new IllegalArgumentException("unknown operation '" + name + "' (known: " + NAMES + ")");
        };
        return op;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * A path as the value of a filter option. The operator chooses the output root, so the path
     * may hold any character; ffmpeg unescapes twice, once for the option list
     * ({@code \ ' :}) and once for the filter graph ({@code \ ' [ ] , ;}).
     */
    static String filterPath(Path p) {
        String option = escape(p.toAbsolutePath().toString(), "\\':");
        return escape(option, "\\'[],;");
    }

    private static String escape(String s, String special) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if (special.indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Named arguments of one operation, with checks that name the operation and key. */
    private static final class Args {
        final String op;
        final Map<String, String> args;

        Args(String op, Map<String, String> args) {
            this.op = op;
            this.args = args;
        }

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException(op + ": " + message);
        }

        void allow(String... keys) {
            Set<String> allowed = Set.of(keys);
            for (String k : args.keySet()) {
                if (!allowed.contains(k)) {
                    throw error("unknown parameter '" + k + "' (allowed: " + String.join(", ", keys) + ")");
                }
            }
        }

        String required(String key) {
            String v = args.get(key);
            if (v == null) {
                throw error("missing parameter '" + key + "'");
            }
            return v;
        }

        int requiredInt(String key, int min, int max) {
            required(key);
            return optionalInt(key, min, max);
        }

        Integer optionalInt(String key, int min, int max) {
            String v = args.get(key);
            if (v == null) {
                return null;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw error(key + " " + v + " is out of range " + min + ".." + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw error(key + " '" + v + "' is not a whole number");
            }
        }

        double optionalDouble(String key, double min, double max, double fallback) {
            String v = args.get(key);
            if (v == null) {
                return fallback;
            }
            try {
                double d = Double.parseDouble(v);
                if (!(d >= min && d <= max)) {
                    throw error(key + " " + v + " is out of range " + number(min) + ".." + number(max));
                }
                return d;
            } catch (NumberFormatException e) {
                throw error(key + " '" + v + "' is not a number");
            }
        }

        void even(String key, Integer value) {
            if (value != null && value % 2 != 0) {
                throw error(key + " " + value + " must be even (4:2:0 video needs even sizes)");
            }
        }

        String oneOf(String key, String fallback, Set<String> allowed) {
            String v = args.getOrDefault(key, fallback);
            if (!allowed.contains(v)) {
                throw error(key + " '" + v + "' must be one of " + String.join(", ", new TreeSet<>(allowed)));
            }
            return v;
        }
    }

    /** A hand-written scanner: the grammar is tiny and must reject everything else clearly. */
    private static final class Parser {
        final String s;
        int i;

        Parser(String s) {
            this.s = s;
        }

        boolean more() {
            return i < s.length();
        }

        boolean skipSpace() {
            while (more() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return true;
        }

        void expect(char c) {
            skipSpace();
            if (!more() || s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at position " + (i + 1) + " of '" + s + "'");
            }
            i++;
        }

        String name() {
            skipSpace();
            int start = i;
            while (more() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-' || s.charAt(i) == '_')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException(
                        "expected an operation name at position " + (i + 1) + " of '" + s + "'");
            }
            return s.substring(start, i).toLowerCase(Locale.ROOT);
        }

        Map<String, String> arguments() {
            Map<String, String> args = new LinkedHashMap<>();
            skipSpace();
            if (!more() || s.charAt(i) != '(') {
                return args;
            }
            i++;
            skipSpace();
            if (more() && s.charAt(i) == ')') {
                i++;
                return args;
            }
            while (true) {
                String key = name();
                expect('=');
                skipSpace();
                String value = value();
                if (args.put(key, value) != null) {
                    throw new IllegalArgumentException("parameter '" + key + "' given twice");
                }
                skipSpace();
                if (more() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                expect(')');
                return args;
            }
        }

        String value() {
            StringBuilder b = new StringBuilder();
            if (more() && s.charAt(i) == '"') {
                i++;
                while (more() && s.charAt(i) != '"') {
                    char c = s.charAt(i++);
                    if (c == '\\' && more()) {
                        c = s.charAt(i++);
                    }
                    b.append(c);
                }
                expect('"');
                return b.toString();
            }
            while (more() && ",;()".indexOf(s.charAt(i)) < 0) {
                b.append(s.charAt(i++));
            }
            String v = b.toString().strip();
            if (v.isEmpty()) {
                throw new IllegalArgumentException("missing value at position " + (i + 1) + " of '" + s + "'");
            }
            return v;
        }
    }
}
