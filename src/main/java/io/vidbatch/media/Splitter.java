package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Cuts a source's video into pieces at clean keyframes with stream copy, so each piece can be
 * encoded on its own and the results joined without re-encoding. Gives up (the file is then
 * encoded whole) whenever a cut could change what the viewer sees.
 */
public final class Splitter {

    /**
     * Pieces of one input. Each is a work item with its own process start and a line in the
     * job repository; beyond this, longer pieces are cut instead (a 10-hour recording in 2 s
     * segments would be 18,000 items, and a crafted file with thousands of keyframes more).
     * It also keeps the split's list of cut times far below Linux's 128 KiB per argument.
     */
    public static final int MAX_SEGMENTS = 1000;

    /** Stream copy runs at disk speed; an hour-long 4K file takes well under this. */
    private static final long SPLIT_TIMEOUT_MINUTES = 30;

    private final Tools tools;
    private final Prober prober;

    public Splitter(Tools tools) {
        this.tools = tools;
        this.prober = new Prober(tools);
    }

    /**
     * A piece of the source's video.
     *
     * @param start   where it begins, seconds from the source video's first picture
     * @param seconds its nominal length: up to the next cut (the last one: to the end)
     */
    public record Segment(Path file, int index, double start, double seconds, long frames) {}

    /** Why a file was not split, or the pieces. */
    public record Result(List<Segment> segments, String wholeBecause) {
        public boolean split() {
            return !segments.isEmpty();
        }
    }

    /** True when the source is long enough to be worth cutting into segments of this length. */
    public static boolean worthSplitting(MediaInfo info, double segmentSeconds) {
        return info.video().streamDuration() >= segmentSeconds * 1.5;
    }

    /** The segment length used for a video this long: the one asked for, or longer to stay within {@link #MAX_SEGMENTS}. */
    public static double segmentLength(double videoSeconds, double requested) {
        return Math.max(requested, videoSeconds / MAX_SEGMENTS);
    }

    public Result split(Path source, MediaInfo info, PacketTimes packets, double requestedSeconds, Path dir)
            throws BadMediaException, ToolFailureException {
        double videoSeconds = info.video().streamDuration();
        double segmentSeconds = segmentLength(videoSeconds, requestedSeconds);
        if (!worthSplitting(info, segmentSeconds)) {
            return whole("shorter than 1.5 segments");
        }
        List<Double> cuts = cutPoints(packets.cleanCutTimes(), info.startSeconds(), videoSeconds, segmentSeconds);
        if (cuts.isEmpty()) {
            return whole("no clean keyframe to cut at (open GOP or long GOP)");
        }
        try {
            Files.createDirectories(dir);
            List<String> cmd = tools.ffmpegCommand();
            // MP4 pieces: Matroska rounds timestamps to 1 ms, which garbles variable frame rate sources.
            cmd.addAll(List.of("-loglevel", "error", "-y"));
            cmd.addAll(Containers.source(source));
            cmd.addAll(List.of(
                    "-map",
                    "0:V:0",
                    "-c",
                    "copy",
                    "-f",
                    "segment",
                    "-segment_format",
                    "mp4",
                    "-reset_timestamps",
                    "1",
                    // ffmpeg starts the output timeline at the source's start time; cut just before each keyframe.
                    "-segment_times",
                    cuts.stream()
                            .map(t -> String.format(Locale.ROOT, "%.6f", t - info.startSeconds() - 0.001))
                            .collect(Collectors.joining(",")),
                    "file:" + dir.toAbsolutePath() + "/src-%05d.mp4"));
            Process p = ChildProcesses.tool(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("split.log").toFile())
                    .start();
            try {
                if (!p.waitFor(SPLIT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    throw new ToolFailureException("splitting took over " + SPLIT_TIMEOUT_MINUTES + " minutes");
                }
            } finally {
                if (p.isAlive()) {
                    FfmpegRun.terminate(p); // interrupted (planning stopped) or too slow: no stray ffmpeg
                }
            }
            if (p.exitValue() != 0 || Files.size(dir.resolve("split.log")) > 0) {
                // e.g. a codec MP4 cannot hold: the file can still be encoded whole.
                String why = Files.readAllLines(dir.resolve("split.log")).stream()
                        .findFirst()
                        .orElse("exit " + p.exitValue());
                discard(pieces(dir));
                return whole("cannot split with stream copy: " + why);
            }
            return check(dir, info, packets, cuts, videoSeconds);
        } catch (IOException e) {
            throw new ToolFailureException("cannot split into " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailureException("interrupted while splitting", e);
        }
    }

    /**
     * Pieces must add up to the source frame for frame; otherwise encode it whole. A piece holds
     * the frames displayed between its cuts (clean cuts: nothing displayed earlier follows a
     * cut), counted from the packets already read rather than by probing every piece: a long
     * film in short segments would otherwise cost a thousand ffprobe runs to plan. The first
     * piece is probed to prove the muxer cut where it was asked to.
     */
    private Result check(Path dir, MediaInfo info, PacketTimes packets, List<Double> cuts, double videoSeconds)
            throws IOException, BadMediaException, ToolFailureException {
        List<Path> files = pieces(dir);
        if (files.size() != cuts.size() + 1) {
            discard(files);
            return whole("splitting gave " + files.size() + " pieces instead of " + (cuts.size() + 1));
        }
        List<Segment> segments = new ArrayList<>();
        long frames = 0;
        double start = 0;
        // Lengths count from the first picture, not from the file's start: a video that starts
        // after the audio (B-frame delay, audio priming) would otherwise lengthen the first piece.
        double videoStart = packets.firstTime();
        for (int i = 0; i < files.size(); i++) {
            double from = i == 0 ? Double.NEGATIVE_INFINITY : cuts.get(i - 1);
            double to = i < cuts.size() ? cuts.get(i) : Double.POSITIVE_INFINITY;
            long n = packets.framesBetween(from, to);
            double end = i < cuts.size() ? cuts.get(i) - videoStart : videoSeconds;
            segments.add(new Segment(files.get(i), i, start, end - start, n));
            frames += n;
            start = end;
        }
        if (frames != info.video().frames()) {
            discard(files);
            return whole("pieces hold " + frames + " frames, the source "
                    + info.video().frames());
        }
        long first = prober.probe(files.get(0)).video().frames();
        if (first != segments.get(0).frames()) {
            discard(files);
            return whole("the first piece holds " + first + " frames instead of "
                    + segments.get(0).frames());
        }
        return new Result(segments, null);
    }

    /**
     * Chooses cut times: the first clean keyframe at least one segment after the previous
     * cut, leaving at least half a segment for the last piece.
     */
    static List<Double> cutPoints(List<Double> keyframes, double start, double videoSeconds, double segmentSeconds) {
        List<Double> cuts = new ArrayList<>();
        double last = start;
        for (double k : keyframes) {
            if (k - last >= segmentSeconds - 1e-6 && (start + videoSeconds) - k >= segmentSeconds / 2) {
                cuts.add(k);
                last = k;
            }
        }
        return cuts;
    }

    private static List<Path> pieces(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("src-\\d+\\.mp4"))
                    .sorted()
                    .toList();
        }
    }

    private static Result whole(String why) {
        return new Result(List.of(), why);
    }

    private static void discard(List<Path> files) {
        files.forEach(FfmpegRun::deleteQuietly);
    }
}
