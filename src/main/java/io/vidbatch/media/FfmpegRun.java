package io.vidbatch.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Runs one ffmpeg command to completion: progress read from a {@code -progress} file (no pipes
 * to drain, no extra threads), stderr kept in a log file, a stop request honoured within a
 * poll interval (half a second), and the outcome classified as done, bad media, or a tool
 * failure worth retrying.
 */
public final class FfmpegRun {

    /** ffmpeg writes progress every 500 ms; polling faster only wakes the coordinator for nothing. */
    private static final long POLL_MILLIS = 500;

    private static final long TERM_GRACE_SECONDS = 5;

    private final List<String> command;
    private final Path log;
    private final Path progressFile;
    private final double expectedSeconds;
    private Path directory;

    /**
     * @param command         ffmpeg and its arguments, without logging/progress flags
     * @param log             where ffmpeg's log goes; kept for the job log and for error reasons
     * @param expectedSeconds output duration to measure progress against
     */
    public FfmpegRun(List<String> command, Path log, double expectedSeconds) {
        this.command = command;
        this.log = log;
        this.progressFile = log.resolveSibling(log.getFileName() + ".progress");
        this.expectedSeconds = expectedSeconds;
    }

    /** Runs ffmpeg in {@code dir}: file names inside a filter graph can then be plain, unescaped. */
    public FfmpegRun in(Path dir) {
        this.directory = dir;
        return this;
    }

    /**
     * A run that ended normally: its wall time and ffmpeg's own account of what it wrote, from
     * its closing progress block.
     *
     * @param frames   video frames encoded
     * @param bytes    bytes written to the output ({@code total_size}), -1 when ffmpeg did not say
     * @param finished whether ffmpeg wrote its closing block ({@code progress=end})
     */
    public record Outcome(double seconds, long frames, long bytes, boolean finished) {

        /** Frames per wall second of this run, for {@code frames} however they were counted. */
        public double fps(long frames) {
            return seconds > 0 ? frames / seconds : 0;
        }
    }

    public Outcome run(Progress.Listener listener, BooleanSupplier stopRequested)
            throws BadMediaException, ToolFailureException, StoppedException {
        List<String> cmd = new ArrayList<>(command.size() + 8);
        cmd.add(command.get(0));
        // level+ prefixes every line with its level, so errors can be told from warnings. Info is
        // kept for the closing statistics (frames, sizes), which the job log shows for each item.
        cmd.addAll(
                List.of("-loglevel", "level+info", "-nostats", "-progress", "file:" + progressFile.toAbsolutePath()));
        cmd.addAll(command.subList(1, command.size()));
        long started = System.nanoTime();
        Process process;
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(progressFile);
            process = ChildProcesses.tool(cmd)
                    .directory(directory == null ? null : directory.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new ToolFailureException("cannot start ffmpeg: " + e.getMessage(), e);
        }
        ProgressReader reader = new ProgressReader(progressFile, expectedSeconds);
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                reader.poll().ifPresent(listener::update);
                if (stopRequested.getAsBoolean()) {
                    terminate(process);
                    throw new StoppedException();
                }
            }
        } catch (InterruptedException e) {
            terminate(process);
            Thread.currentThread().interrupt();
            throw new ToolFailureException("interrupted while ffmpeg was running", e);
        } finally {
            reader.close();
            deleteQuietly(progressFile);
        }
        // Decisions and reasons rest on warnings and worse, as they did before info was logged.
        List<String> lines = readLog().stream().filter(l -> !isInfo(l)).toList();
        int exit = process.exitValue();
        if (lines.stream().anyMatch(l -> l.contains("No space left on device"))) {
            // Not the input's fault: once space is freed, a restart must redo the item.
            throw new ToolFailureException("no space left on the output volume");
        }
        if (exit > 128 && exit < 160) {
            throw new ToolFailureException("ffmpeg was killed by signal " + (exit - 128) + tail(lines));
        }
        List<String> errors = lines.stream().filter(FfmpegRun::isError).toList();
        if (exit == 255 && errors.isEmpty()) {
            throw new ToolFailureException("ffmpeg was interrupted" + tail(lines));
        }
        if (exit != 0 || !errors.isEmpty()) {
            // Decoders conceal damage and exit 0; any error line means the picture is not trustworthy.
            String refused = Containers.refusal(String.join("\n", lines)).orElse(null);
            throw new BadMediaException(refused != null ? refused : reason(exit, errors.isEmpty() ? lines : errors));
        }
        Progress last = reader.last();
        listener.update(new Progress(1.0, last.frames(), last.fps()));
        return new Outcome((System.nanoTime() - started) / 1e9, last.frames(), reader.bytes(), reader.finished());
    }

    /**
     * With {@code -loglevel level+info} every line carries its level, after the context of
     * the component that wrote it when there is one: {@code [h264 @ 0x55..] [error] ...}.
     */
    private static final Pattern ERROR = Pattern.compile("^(\\[[^\\]]+ @ 0x[0-9a-f]+\\] )?\\[(error|fatal)\\] ");

    static boolean isError(String line) {
        return ERROR.matcher(line).find();
    }

    private static final Pattern INFO = Pattern.compile("^(\\[[^\\]]+ @ 0x[0-9a-f]+\\] )?\\[info\\] ");

    /** A line ffmpeg logged at info level: what it did, never a problem. */
    public static boolean isInfo(String line) {
        return INFO.matcher(line).find();
    }

    private static String reason(int exit, List<String> lines) {
        String first = lines.isEmpty() ? "no message" : strip(lines.get(0));
        return (exit == 0 ? "decoding errors: " : "ffmpeg failed (exit " + exit + "): ")
                + first
                + (lines.size() > 1 ? " (+" + (lines.size() - 1) + " more)" : "");
    }

    /** A log line without its level, with its context shortened: {@code [h264] error while decoding MB 24 29}. */
    static String strip(String line) {
        return line.replaceFirst("^\\[([^]@]+?) @ 0x[0-9a-f]+\\] ", "[$1] ")
                .replaceFirst("\\[(error|fatal|warning)\\] ", "")
                .strip();
    }

    private static String tail(List<String> lines) {
        return lines.isEmpty() ? "" : ": " + strip(lines.get(lines.size() - 1));
    }

    private List<String> readLog() {
        try {
            return Files.exists(log)
                    ? Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                            .filter(l -> !l.isBlank())
                            .toList()
                    : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** SIGTERM first so ffmpeg exits cleanly; SIGKILL if it does not within the grace period. */
    static void terminate(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(TERM_GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(TERM_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // leftovers are swept with the job's work folder
        }
    }

    /** ffmpeg's progress blocks (key=value lines ending with progress=...), read as they are appended. */
    private static final class ProgressReader {
        private final LineTail tail;
        private final double expectedSeconds;
        private long frames;
        private double fps;
        private double outSeconds;
        private long bytes = -1;
        private boolean finished;
        private Progress last = Progress.NONE;

        ProgressReader(Path file, double expectedSeconds) {
            this.tail = new LineTail(file);
            this.expectedSeconds = expectedSeconds;
        }

        Optional<Progress> poll() {
            boolean blockEnded = false;
            for (String line : tail.poll()) {
                blockEnded |= apply(line.trim());
            }
            if (!blockEnded) {
                return Optional.empty();
            }
            double fraction = expectedSeconds > 0 ? Math.min(1.0, Math.max(0, outSeconds / expectedSeconds)) : 0;
            last = new Progress(fraction, frames, fps);
            return Optional.of(last);
        }

        /** Applies one key=value line; true at the end of a progress block. */
        private boolean apply(String line) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                return false;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).trim();
            try {
                switch (key) {
                    case "frame" -> frames = Long.parseLong(value);
                    case "fps" -> fps = Double.parseDouble(value);
                    // out_time_us is the precise one; out_time_ms is also in microseconds (an old ffmpeg quirk).
                    case "out_time_us" -> outSeconds = Math.max(0, Long.parseLong(value) / 1e6);
                    case "total_size" -> bytes = Long.parseLong(value);
                    case "progress" -> {
                        finished = value.equals("end");
                        return true;
                    }
                    default -> {}
                }
            } catch (NumberFormatException ignored) {
                // "N/A" before the first frame
            }
            return false;
        }

        Progress last() {
            return last;
        }

        long bytes() {
            return bytes;
        }

        boolean finished() {
            return finished;
        }

        void close() {
            poll();
            tail.close();
        }
    }
}
