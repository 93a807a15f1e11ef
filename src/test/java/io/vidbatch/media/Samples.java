package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The generated sample videos (scripts/make-samples) and a scratch folder per test. */
public final class Samples {

    public static final Tools TOOLS = Tools.onPath();

    private Samples() {}

    public static Path sample(String name) {
        Path p = Path.of(System.getProperty("vidbatch.samples", "target/it/inputs/samples"))
                .resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run scripts/make-samples test " + p.getParent());
        }
        return p;
    }

    public static Path scratch() throws IOException {
        Path dir = Path.of(System.getProperty("vidbatch.test.dir", "target/unit"))
                .resolve(UUID.randomUUID().toString());
        return Files.createDirectories(dir).toAbsolutePath();
    }

    /** Runs ffmpeg with an argument list, failing the test if it fails. */
    public static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + cmd);
        }
    }

    /** ffmpeg's log (stderr) of a run that must succeed: for the figures its filters print. */
    public static String ffmpegOutput(String... args) throws IOException, InterruptedException {
        return output("ffmpeg", List.of("-hide_banner", "-nostdin"), args);
    }

    /** What ffmpeg's own filters measured: the {@code psnr} filter's average (dB) and the {@code ssim} filter's All. */
    public record Measured(double psnr, double ssim) {
        public double ssimDb() {
            return Samples.ssimDb(ssim);
        }
    }

    /** SSIM as dB, where a difference of 0.01 is as fine as PSNR's: -10·log10(1 - SSIM). */
    public static double ssimDb(double ssim) {
        return -10 * Math.log10(1 - ssim);
    }

    /**
     * ffmpeg's {@code psnr} and {@code ssim} filters over an encode against its source, run the way
     * vidbatch measures (the encode scaled back to the source's size, bicubic, 8-bit 4:2:0, frames
     * paired in order): the figures a test holds the product's own against.
     */
    public static Measured measuredByFfmpeg(Path encode, Path source) throws IOException, InterruptedException {
        String log = ffmpegOutput(
                "-i",
                encode.toString(),
                "-i",
                source.toString(),
                "-lavfi",
                "[0:v]settb=1,setpts=N[d];[1:v]format=yuv420p,settb=1,setpts=N[s];[d][s]scale2ref=flags=bicubic[u][r];"
                        + "[u]format=yuv420p,split[ua][ub];[r]split[ra][rb];[ua][ra]psnr;[ub][rb]ssim",
                "-f",
                "null",
                "-");
        return new Measured(figure(log, "average:"), figure(log, "All:"));
    }

    private static double figure(String log, String label) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(label) + "([0-9.]+)")
                .matcher(log);
        if (!m.find()) {
            throw new IllegalStateException("no " + label + " in ffmpeg's log:\n" + log);
        }
        return Double.parseDouble(m.group(1));
    }

    /** ffprobe's standard output of a run that must succeed. */
    public static String ffprobeOutput(String... args) throws IOException, InterruptedException {
        return output("ffprobe", List.of(), args);
    }

    private static String output(String tool, List<String> first, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tool));
        cmd.addAll(first);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(tool.equals("ffmpeg"))
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(tool + " failed: " + cmd + "\n" + out);
        }
        return out;
    }

    /** Video frames as ffprobe counts them, read independently of the product's own probing. */
    public static long videoFrames(Path video) throws IOException, InterruptedException {
        return Long.parseLong(ffprobe(video, "stream=nb_read_packets", "-count_packets"));
    }

    /** Video stream duration in seconds, as ffprobe reads it. */
    public static double videoSeconds(Path video) throws IOException, InterruptedException {
        return Double.parseDouble(ffprobe(video, "stream=duration"));
    }

    private static String ffprobe(Path video, String entries, String... extra)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error", "-select_streams", "v:0"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-show_entries", entries, "-of", "csv=p=0", video.toString()));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffprobe failed on " + video);
        }
        return out;
    }

    /** ffprobe's own account of a file's streams and chapters (JSON), read apart from the product's parsing. */
    public static jakarta.json.JsonObject streamsAndChapters(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "ffprobe", "-v", "error", "-show_streams", "-show_chapters", "-of", "json", file.toString())
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffprobe failed on " + file);
        }
        try (var r = jakarta.json.Json.createReader(new java.io.StringReader(out))) {
            return r.readObject();
        }
    }

    /** The streams of one type ({@code audio}, {@code subtitle}, ...) in such an account. */
    public static List<jakarta.json.JsonObject> streams(jakarta.json.JsonObject probe, String type) {
        return probe.getJsonArray("streams").getValuesAs(jakarta.json.JsonObject.class).stream()
                .filter(s -> s.getString("codec_type").equals(type))
                .toList();
    }

    /** A stream's or chapter's tag, or null. */
    public static String tag(jakarta.json.JsonObject o, String name) {
        return o.containsKey("tags") ? o.getJsonObject("tags").getString(name, null) : null;
    }

    /** The mean luma (Y, 0-255) over every frame of a video, as ffmpeg's signalstats measures it. */
    public static double meanLuma(Path video) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "ffmpeg",
                        "-hide_banner",
                        "-nostdin",
                        "-i",
                        video.toString(),
                        "-vf",
                        "signalstats,metadata=print:key=lavfi.signalstats.YAVG",
                        "-f",
                        "null",
                        "-")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        var m = java.util.regex.Pattern.compile("lavfi.signalstats.YAVG=([0-9.]+)")
                .matcher(out);
        double sum = 0;
        int n = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            n++;
        }
        if (n == 0) {
            throw new IllegalStateException("no luma in: " + out);
        }
        return sum / n;
    }

    /** PSNR (average, dB) of a video against a reference of the same size. */
    public static double psnr(Path video, Path reference) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "ffmpeg",
                        "-hide_banner",
                        "-nostdin",
                        "-i",
                        video.toString(),
                        "-i",
                        reference.toString(),
                        "-lavfi",
                        "[0:v][1:v]psnr",
                        "-f",
                        "null",
                        "-")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        var m = java.util.regex.Pattern.compile("PSNR .* average:([0-9.]+|inf)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no PSNR in: " + out);
        }
        return m.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
    }
}
