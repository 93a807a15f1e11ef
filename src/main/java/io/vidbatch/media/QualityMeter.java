package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures encodes against their source with ffmpeg's {@code psnr} and {@code ssim} filters: the
 * source decoded once, each encode scaled back to the source's size (bicubic) and compared frame
 * by frame in order, in 8-bit 4:2:0. One run measures every encode of the same stretch.
 */
public final class QualityMeter {

    private final Tools tools;

    public QualityMeter(Tools tools) {
        this.tools = tools;
    }

    /**
     * @param source  what the encodes were made from
     * @param chunk   the stretch of it they hold, or null for all of it
     * @param encodes the encodes, each with every frame of the stretch
     * @param files   each encode's stats files, all in one folder (ffmpeg runs there: a path
     *                inside a filter graph would need escaping)
     * @param log     ffmpeg's log of the run
     */
    public record Request(Path source, Chunk chunk, List<Path> encodes, List<QualityFiles> files, Path log) {

        Path dir() {
            return files.get(0).stem().getParent();
        }
    }

    /** What a run measured: each encode's frames and means, and how long it took. */
    public record Measured(List<Quality.Part> parts, double seconds) {}

    public Measured measure(Request r, long frames, double seconds, BooleanSupplier stopRequested)
            throws BadMediaException, ToolFailureException, StoppedException {
        FfmpegRun.Outcome run =
                new FfmpegRun(command(r), r.log, seconds).in(r.dir()).run(Progress.Listener.IGNORE, stopRequested);
        try {
            String log = Files.readString(r.log);
            List<Quality.Part> parts = new ArrayList<>();
            for (int i = 0; i < r.encodes.size(); i++) {
                Quality.Part q = Quality.read(
                        r.files.get(i).psnr(),
                        r.files.get(i).ssim(),
                        mean(log, "psnr@r" + i, "average:"),
                        mean(log, "ssim@r" + i, "All:"));
                if (q.psnrFrames().length != frames) {
                    throw new BadMediaException("quality check measured " + q.psnrFrames().length + " frames of "
                            + r.encodes.get(i).getFileName() + ", expected " + frames);
                }
                parts.add(q);
            }
            return new Measured(parts, run.seconds());
        } catch (IOException e) {
            throw new ToolFailureException("cannot read the quality check's figures: " + e.getMessage(), e);
        }
    }

    List<String> command(Request r) throws BadMediaException {
        Threads threads = Threads.here();
        List<String> cmd = tools.ffmpegCommand();
        cmd.addAll(threads.filters());
        cmd.addAll(threads.decoder());
        cmd.add("-y");
        if (r.chunk != null) {
            cmd.addAll(ChunkEncoder.seek(r.chunk));
        }
        cmd.addAll(Containers.source(r.source));
        for (Path t : r.encodes) {
            cmd.addAll(Containers.input(t));
        }
        int n = r.encodes.size();
        StringBuilder g = new StringBuilder("[0:V:0]");
        if (r.chunk != null) {
            g.append(ChunkEncoder.trim(r.chunk)).append(',');
        }
        g.append("format=yuv420p,").append(ORDER).append(",split=").append(n);
        for (int i = 0; i < n; i++) {
            g.append("[s").append(i).append(']');
        }
        List<String> maps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            g.append(String.format(
                    Locale.ROOT,
                    ";[%1$d:v]%2$s[d%3$d];[d%3$d][s%3$d]scale2ref=flags=bicubic[u%3$d][r%3$d];"
                            + "[u%3$d]format=yuv420p,split[ua%3$d][ub%3$d];[r%3$d]split[ra%3$d][rb%3$d];"
                            + "[ua%3$d][ra%3$d]psnr@r%3$d=stats_file=%4$s[o%3$d];"
                            + "[ub%3$d][rb%3$d]ssim@r%3$d=stats_file=%5$s[q%3$d]",
                    i + 1,
                    ORDER,
                    i,
                    r.files.get(i).psnr().getFileName(),
                    r.files.get(i).ssim().getFileName()));
            maps.addAll(List.of("-map", "[o" + i + "]", "-map", "[q" + i + "]"));
        }
        cmd.addAll(List.of("-filter_complex", g.toString()));
        cmd.addAll(maps);
        cmd.addAll(List.of("-f", "null", "-"));
        return cmd;
    }

    /** Frames paired by their order, not their times: an encode's clock is rounded to its own. */
    private static final String ORDER = "settb=1,setpts=N";

    private static double mean(String log, String filter, String label) throws BadMediaException {
        Matcher m = Pattern.compile("\\[" + Pattern.quote(filter) + " @ [^]]+\\] \\[info\\] .*" + Pattern.quote(label)
                        + "(inf|[0-9.]+)")
                .matcher(log);
        if (!m.find()) {
            throw new BadMediaException("quality check: no figure from " + filter);
        }
        return m.group(1).equals("inf") ? Quality.IDENTICAL : Double.parseDouble(m.group(1));
    }
}
