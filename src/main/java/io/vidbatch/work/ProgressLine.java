package io.vidbatch.work;

import io.vidbatch.media.Progress;

import java.util.Locale;
import java.util.Optional;

/** How a worker reports progress on its output, one line per update, for whoever runs it. */
public final class ProgressLine {

    static final String PREFIX = "vidbatch-progress ";

    private ProgressLine() {}

    /** An item's progress as a line reports it. */
    public record Update(int item, Progress progress) {}

    public static String format(int item, Progress p) {
        return String.format(
                Locale.ROOT,
                "%sitem=%d fraction=%.4f frames=%d fps=%.2f",
                PREFIX,
                item,
                p.fraction(),
                p.frames(),
                p.fps());
    }

    /** The progress a line reports, or empty for any other line. */
    public static Optional<Update> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        double fraction = 0;
        double fps = 0;
        long frames = 0;
        int item = 0;
        try {
            for (String kv : line.substring(PREFIX.length()).trim().split(" ")) {
                String[] p = kv.split("=", 2);
                switch (p[0]) {
                    case "fraction" -> fraction = Double.parseDouble(p[1]);
                    case "frames" -> frames = Long.parseLong(p[1]);
                    case "fps" -> fps = Double.parseDouble(p[1]);
                    case "item" -> item = Integer.parseInt(p[1]);
                    default -> {}
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(new Update(item, new Progress(fraction, frames, fps)));
    }
}
