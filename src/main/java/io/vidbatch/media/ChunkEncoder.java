package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * One chunk of a source to every rung of a ladder: decoded once, each rung scaled from the same
 * frames and encoded with keyframes at the same times, then each rendition measured against
 * the source. Each rendition is written under a temporary name and renamed into place once
 * checked.
 */
public final class ChunkEncoder {

    private final Tools tools;
    private final Prober prober;

    public ChunkEncoder(Tools tools) {
        this.tools = tools;
        this.prober = new Prober(tools);
    }

    /**
     * @param source  the user's source
     * @param rungs   the ladder's rungs fitted to the source
     * @param chunk   which stretch of the source
     * @param files   where this chunk's renditions and measurements go
     * @param log     ffmpeg's log for the encode
     */
    /** @param measure whether each rendition is measured against the source (a second decode of the chunk) */
    public record Request(
            Path source, List<Ladder.Fitted> rungs, Chunk chunk, ChunkFiles files, Path log, boolean measure) {

        Request fromTheStart() {
            Chunk c = chunk;
            return new Request(
                    source,
                    rungs,
                    new Chunk(c.index(), c.from(), c.to(), c.first(), c.frames(), c.seconds(), 0),
                    files,
                    log,
                    measure);
        }
    }

    /** A rendition of the chunk: its file and figures (quality null when not measured). */
    public record Rendition(String id, Path file, long bytes, long frames, Quality.Part quality) {}

    public record Result(List<Rendition> renditions, double encodeSeconds, double measureSeconds) {}

    public Result encode(Request asked, Progress.Listener listener, BooleanSupplier stopRequested)
            throws BadMediaException, ToolFailureException, StoppedException {
        Request r = asked;
        List<Path> temps = asked.rungs.stream()
                .map(f -> OutputFiles.temporaryFor(asked.files.rendition(f.id())))
                .toList();
        Path qualityLog = r.log.resolveSibling(r.log.getFileName() + ".quality");
        try {
            Files.createDirectories(r.files.dir());
            Expected expected = Expected.of(r.chunk.frames(), 0, r.chunk.seconds(), 0, true, false);
            FfmpegRun.Outcome encoded;
            try {
                encoded = new FfmpegRun(encodeCommand(r, temps), r.log, r.chunk.seconds()).run(listener, stopRequested);
            } catch (BadMediaException e) {
                if (r.chunk.seek() == 0) {
                    throw e;
                }
                // Some sources mark pictures as entry points that cannot start a decoder (parameter
                // sets given once, at the start): such a source is read from its beginning.
                r = r.fromTheStart();
                encoded = new FfmpegRun(encodeCommand(r, temps), r.log, r.chunk.seconds()).run(listener, stopRequested);
            }
            List<Long> frames = new ArrayList<>();
            for (Path temp : temps) {
                MediaInfo info = prober.probe(temp);
                long n = info.video().frames();
                if (n != r.chunk.frames()) {
                    throw new BadMediaException("output check failed: " + temp.getFileName() + " has " + n
                            + " video frames, expected " + expected.frames());
                }
                frames.add(n);
            }
            QualityMeter.Measured measured = null;
            if (r.measure) {
                List<QualityFiles> files = new ArrayList<>();
                for (int i = 0; i < r.rungs.size(); i++) {
                    files.add(r.files.quality(i));
                }
                measured = new QualityMeter(tools)
                        .measure(
                                new QualityMeter.Request(r.source, r.chunk, temps, files, qualityLog),
                                r.chunk.frames(),
                                r.chunk.seconds(),
                                stopRequested);
            }
            List<Rendition> out = new ArrayList<>();
            for (int i = 0; i < r.rungs.size(); i++) {
                String id = r.rungs.get(i).id();
                Quality.Part q = measured == null ? null : measured.parts().get(i);
                Path file = r.files.rendition(id);
                long bytes = Files.size(temps.get(i));
                OutputFiles.publish(temps.get(i), file);
                out.add(new Rendition(id, file, bytes, frames.get(i), q));
            }
            return new Result(out, encoded.seconds(), measured == null ? 0 : measured.seconds());
        } catch (IOException e) {
            throw new ToolFailureException("cannot write chunk " + r.chunk.index() + ": " + e.getMessage(), e);
        } finally {
            temps.forEach(FfmpegRun::deleteQuietly);
        }
    }

    /**
     * One decode, one split, one encode per rung. Keyframes are forced on the chunk's own clock,
     * which starts at its first frame: every rung gets them on the same frames, and each chunk's
     * first frame is one, so chunks join where a player can switch.
     */
    List<String> encodeCommand(Request r, List<Path> temps) throws BadMediaException {
        Threads threads = Threads.here();
        List<String> cmd = tools.ffmpegCommand();
        cmd.addAll(threads.filters());
        cmd.addAll(threads.decoder());
        cmd.add("-y");
        cmd.addAll(seek(r.chunk));
        cmd.addAll(Containers.source(r.source));
        StringBuilder graph = new StringBuilder("[0:V:0]").append(trim(r.chunk));
        graph.append(",split=").append(r.rungs.size());
        for (int i = 0; i < r.rungs.size(); i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < r.rungs.size(); i++) {
            Ladder.Fitted f = r.rungs.get(i);
            graph.append(String.format(
                    Locale.ROOT,
                    ";[s%d]scale=%d:%d:flags=bicubic,setsar=sar=%d/%d:max=65535,format=yuv420p[v%d]",
                    i,
                    f.width(),
                    f.height(),
                    f.sarNum(),
                    f.sarDen(),
                    i));
        }
        cmd.addAll(List.of("-filter_complex", graph.toString()));
        for (int i = 0; i < r.rungs.size(); i++) {
            Ladder.Rung rung = r.rungs.get(i).rung();
            cmd.addAll(List.of("-map", "[v" + i + "]"));
            cmd.addAll(rung.family().args);
            if (rung.family() == Ladder.Family.AV1) {
                // libsvtav1 here drops the pixel shape setsar gives (MP4 gets no pasp box); the
                // shape on screen is kept, as ffmpeg's -aspect (terms up to 255, so 16:9 is exact).
                cmd.addAll(List.of("-aspect", r.rungs.get(i).displayAspect()));
            }
            long peak = rung.peakBits();
            cmd.addAll(List.of(
                    "-crf",
                    Integer.toString(rung.crf()),
                    "-maxrate",
                    Long.toString(peak),
                    "-bufsize",
                    Long.toString(2 * peak)));
            cmd.addAll(closedGops(rung.family()));
            cmd.addAll(keyframes(rung.family(), r));
            cmd.addAll(List.of(
                    "-fps_mode",
                    "passthrough",
                    "-an",
                    "-sn",
                    "-dn",
                    "-map_metadata",
                    "-1",
                    "-map_chapters",
                    "-1",
                    "-f",
                    "mp4",
                    "file:" + temps.get(i).toAbsolutePath()));
        }
        return cmd;
    }

    /**
     * Threads per rung's encoder, whatever the host: x264 and x265 make other bytes with another
     * count, and a ladder must come out the same on a coordinator, a worker process or a pod with
     * one CPU. Rungs and chunks run side by side, so the cores are used anyway.
     */
    static final int ENCODER_THREADS = 2;

    /**
     * Where keyframes go: every {@link Ladder#SEGMENT_SECONDS} on the chunk's clock, or, when a
     * rung is AV1 (whose encoder here takes only an interval in frames), every that many frames
     * for every rung, so that all rungs still switch on the same frames.
     */
    static List<String> keyframes(Ladder.Family family, Request r) {
        boolean byCount = r.rungs.stream().anyMatch(f -> f.rung().family() == Ladder.Family.AV1);
        if (!byCount) {
            return List.of(
                    "-force_key_frames",
                    String.format(Locale.ROOT, "expr:gte(t,n_forced*%s)", num(Ladder.SEGMENT_SECONDS)));
        }
        long every = Math.max(1, Math.round(Ladder.SEGMENT_SECONDS * r.chunk.frames() / r.chunk.seconds()));
        return family == Ladder.Family.AV1
                ? List.of(
                        "-g",
                        Long.toString(every),
                        "-svtav1-params",
                        "keyint=" + every + ":scd=0:irefresh-type=2:lp=" + ENCODER_THREADS)
                : List.of("-force_key_frames", "expr:not(mod(n," + every + "))");
    }

    /** Keyframes only where placed, each one an IDR that nothing after it refers past. */
    private static List<String> closedGops(Ladder.Family family) {
        return switch (family) {
            case H264 ->
                List.of(
                        "-x264-params",
                        // sync-lookahead=0: x264's threaded lookahead makes other bytes now and
                        // then under load (bench/x264-lookahead.sh: 9 distinct outputs of 30 runs,
                        // 1 with it off, at the same speed; docs/decisions/010).
                        "keyint=infinite:scenecut=0:open-gop=0:sync-lookahead=0",
                        "-forced-idr",
                        "1",
                        "-threads",
                        Integer.toString(ENCODER_THREADS));
            case HEVC ->
                List.of(
                        "-x265-params",
                        "log-level=error:keyint=-1:scenecut=0:open-gop=0:pools=" + ENCODER_THREADS + ":frame-threads="
                                + ENCODER_THREADS,
                        "-forced-idr",
                        "1");
            // Closed GOPs and the thread count ride with the keyframe interval in -svtav1-params.
            case AV1 -> List.of();
        };
    }

    /**
     * Starts reading at the entry point planned for the chunk instead of decoding the source from
     * its beginning; times stay the source's own, so the trim is exact either way.
     */
    static List<String> seek(Chunk c) {
        return c.seek() > 0 ? List.of("-copyts", "-ss", num(c.seek())) : List.of("-copyts");
    }

    static String trim(Chunk c) {
        List<String> edges = new ArrayList<>();
        if (Double.isFinite(c.from())) {
            edges.add("start=" + num(c.from()));
        }
        if (Double.isFinite(c.to())) {
            edges.add("end=" + num(c.to()));
        }
        String t = edges.isEmpty() ? "" : "trim=" + String.join(":", edges) + ",";
        return t + "setpts=PTS-STARTPTS";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
