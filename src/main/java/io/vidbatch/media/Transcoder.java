package io.vidbatch.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Decode → process → encode for one piece of work, in one ffmpeg process. The result is
 * written to a hidden temporary file beside the output, verified, then renamed into place:
 * a reader of the output folder sees a complete, checked file or nothing.
 */
public final class Transcoder {

    private final Tools tools;
    private final Verifier verifier;

    public Transcoder(Tools tools) {
        this.tools = tools;
        this.verifier = new Verifier(new Prober(tools));
    }

    /**
     * @param source   input file (a whole source or a segment of one)
     * @param output   where the verified result goes
     * @param logFile  ffmpeg's log for this piece
     */
    public record Request(
            Path source,
            Path output,
            Part part,
            Preset preset,
            List<Operation> operations,
            Expected expected,
            StreamPlan.Map streams,
            Path logFile,
            Measure measure) {}

    /**
     * Measuring the encode against its source before it is renamed into place.
     *
     * @param files      where the measuring filters' stats and the run's log go
     * @param minQuality a PSNR the encode may not fall below (null: none); applied here to a whole
     *                   file only, a segment's figure means nothing until its input's are merged
     */
    public record Measure(QualityFiles files, Double minQuality) {}

    /**
     * The verified output: what its check read from it, and how long the encode took. For a video
     * segment, what ffmpeg reported writing: width and height 0, the planned duration.
     */
    public record Result(
            Path output,
            long bytes,
            int width,
            int height,
            long frames,
            double durationSeconds,
            boolean audio,
            double encodeSeconds,
            double encodeFps,
            Quality.Part quality) {}

    public Result transcode(Request r, Progress.Listener listener, BooleanSupplier stopRequested)
            throws BadMediaException, ToolFailureException, StoppedException {
        Path temp = OutputFiles.temporaryFor(r.output());
        Path textFile = r.logFile().resolveSibling(r.logFile().getFileName() + ".text");
        try {
            if (r.part() != Part.VIDEO_SEGMENT) {
                // A segment is our own piece in the work folder; the whole file and its sound are the user's.
                Containers.checkSource(r.source());
            }
            Files.createDirectories(r.output().getParent());
            writeWatermarkText(r.operations(), textFile);
            FfmpegRun run = new FfmpegRun(
                    command(r, textFile, temp), r.logFile(), r.expected().seconds());
            FfmpegRun.Outcome outcome = run.run(listener, stopRequested);
            if (r.part() == Part.VIDEO_SEGMENT) {
                verifier.checkAccount(temp, r.expected(), outcome);
                Quality.Part quality = measure(r, temp, outcome.frames(), stopRequested);
                OutputFiles.publish(temp, r.output());
                return segment(r, outcome, quality);
            }
            MediaInfo info = verifier.verify(temp, r.expected());
            MediaInfo.Video v = info.video();
            long frames = v != null ? v.frames() : 0;
            Quality.Part quality = measure(r, temp, frames, stopRequested);
            if (quality != null && r.measure().minQuality() != null) {
                Quality.gate(Quality.of(List.of(quality)), r.measure().minQuality(), null);
            }
            long bytes = Files.size(temp);
            OutputFiles.publish(temp, r.output());
            return new Result(
                    r.output(),
                    bytes,
                    v != null ? v.displayWidth() : 0,
                    v != null ? v.displayHeight() : 0,
                    frames,
                    v != null ? v.streamDuration() : info.durationSeconds(),
                    info.hasAudio(),
                    outcome.seconds(),
                    outcome.fps(frames),
                    quality);
        } catch (IOException e) {
            throw new ToolFailureException("cannot write " + r.output().getFileName() + ": " + e.getMessage(), e);
        } finally {
            FfmpegRun.deleteQuietly(temp);
            FfmpegRun.deleteQuietly(textFile);
        }
    }

    /** A segment's figures are ffmpeg's account; its picture is verified once joined. */
    private static Result segment(Request r, FfmpegRun.Outcome o, Quality.Part quality) {
        return new Result(
                r.output(),
                o.bytes(),
                0,
                0,
                o.frames(),
                r.expected().seconds(),
                false,
                o.seconds(),
                o.fps(o.frames()),
                quality);
    }

    /** The encode against its source, frame by frame, when asked; null when not. */
    private Quality.Part measure(Request r, Path encode, long frames, BooleanSupplier stopRequested)
            throws BadMediaException, ToolFailureException, StoppedException {
        if (r.measure() == null || frames == 0) {
            return null;
        }
        QualityFiles files = r.measure().files();
        return new QualityMeter(tools)
                .measure(
                        new QualityMeter.Request(r.source(), null, List.of(encode), List.of(files), files.log()),
                        frames,
                        r.expected().seconds(),
                        stopRequested)
                .parts()
                .get(0);
    }

    List<String> command(Request r, Path textFile, Path temp) {
        Threads threads = Threads.here();
        List<String> cmd = tools.ffmpegCommand();
        cmd.addAll(threads.filters());
        cmd.addAll(threads.decoder());
        cmd.add("-y");
        cmd.addAll(Containers.input(r.source()));
        Preset p = r.preset();
        StreamPlan.Hdr kept = p.tenBit() ? r.streams().hdr() : null;
        switch (r.part()) {
            case WHOLE -> {
                cmd.addAll(List.of("-map", "0:V:0"));
                cmd.addAll(List.of(
                        "-vf",
                        videoChain(
                                r.operations(), p, textFile, false, r.streams().hdr())));
                cmd.addAll(p.videoArgs());
                cmd.addAll(colour(p, r.streams().hdr()));
                cmd.addAll(p.encoderArgs(threads, kept));
                cmd.addAll(frameTiming());
                cmd.addAll(audio(r, 0));
                cmd.addAll(subtitles(r.streams(), 0, p));
                cmd.addAll(p.muxArgs());
            }
            case VIDEO_SEGMENT -> {
                cmd.addAll(List.of("-map", "0:V:0", "-an", "-sn", "-map_chapters", "-1"));
                cmd.addAll(List.of(
                        "-vf",
                        videoChain(
                                r.operations(), p, textFile, true, r.streams().hdr())));
                cmd.addAll(p.videoArgs());
                cmd.addAll(colour(p, r.streams().hdr()));
                cmd.addAll(p.encoderArgs(threads, kept));
                cmd.addAll(frameTiming());
            }
            case AUDIO -> {
                cmd.add("-vn");
                cmd.addAll(audio(r, 0));
                cmd.addAll(List.of("-map_chapters", "-1"));
            }
        }
        // Language, title and default flag travel with each stream; the file's own tags (encoder,
        // creation time, a phone's location) do not.
        cmd.addAll(List.of("-map_metadata:g", "-1", "-f", p.format(), "file:" + temp.toAbsolutePath()));
        return cmd;
    }

    /** The audio tracks of the plan, from input {@code in}, each through the operations' audio filters. */
    private static List<String> audio(Request r, int in) {
        List<String> args = new ArrayList<>();
        for (int a : r.streams().audio()) {
            args.addAll(List.of("-map", in + ":a:" + a));
        }
        if (!r.streams().audio().isEmpty()) {
            audioChain(r.operations()).ifPresent(af -> args.addAll(List.of("-af", af)));
            args.addAll(r.preset().audioArgs());
        }
        return args;
    }

    /** The text subtitle tracks of the plan, from input {@code in}, in the container's text format. */
    static List<String> subtitles(StreamPlan.Map streams, int in, Preset p) {
        List<String> args = new ArrayList<>();
        for (int s : streams.subtitles()) {
            args.addAll(List.of("-map", in + ":s:" + s));
        }
        if (!streams.subtitles().isEmpty()) {
            args.addAll(List.of("-c:s", p.subtitleCodec()));
        }
        return args;
    }

    /** Keep every decoded frame with its own timestamp: no duplicates or drops for VFR sources. */
    private static List<String> frameTiming() {
        return List.of("-fps_mode", "passthrough");
    }

    /**
     * HDR (PQ or HLG) to SDR BT.709: to linear light, Hable's curve, back to BT.709 primaries,
     * transfer and matrix. Never a silent squash of HDR samples into an 8-bit SDR file.
     */
    static final String TONE_MAP =
            "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,"
                    + "zscale=t=bt709:m=bt709:r=tv";

    /**
     * The user's operations in their order, then the preset's fit, a tone map when an HDR source
     * goes into an 8-bit preset, and the preset's pixel format. A segment starts its timestamps at
     * zero, or its first frame would be shifted and an extra frame made.
     */
    static String videoChain(List<Operation> ops, Preset preset, Path textFile, boolean segment, StreamPlan.Hdr hdr) {
        List<String> filters = new ArrayList<>();
        if (segment) {
            filters.add("setpts=PTS-STARTPTS");
        }
        for (Operation op : ops) {
            op.videoFilter(textFile).ifPresent(filters::add);
        }
        filters.add(preset.fitFilter());
        if (hdr != null && !preset.tenBit()) {
            filters.add(TONE_MAP);
        }
        filters.add("format=" + preset.pixelFormat());
        return String.join(",", filters);
    }

    /**
     * The picture's colour tags: an HDR source's own in a 10-bit preset (its mastering display and
     * light levels go with the encoder's parameters); BT.709 once tone-mapped; for SDR, ffmpeg
     * passes the source's on.
     */
    private static List<String> colour(Preset p, StreamPlan.Hdr hdr) {
        if (hdr == null) {
            return List.of();
        }
        if (!p.tenBit()) {
            return List.of("-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709");
        }
        List<String> args = new ArrayList<>(List.of("-color_trc", hdr.transfer()));
        if (hdr.primaries() != null) {
            args.addAll(List.of("-color_primaries", hdr.primaries()));
        }
        if (hdr.matrix() != null) {
            args.addAll(List.of("-colorspace", hdr.matrix()));
        }
        return args;
    }

    static Optional<String> audioChain(List<Operation> ops) {
        List<String> filters = new ArrayList<>();
        for (Operation op : ops) {
            op.audioFilter().ifPresent(filters::add);
        }
        return filters.isEmpty() ? Optional.empty() : Optional.of(String.join(",", filters));
    }

    /** At most one watermark (Operations.parse checks it), so one text file serves. */
    private static void writeWatermarkText(List<Operation> ops, Path textFile) throws IOException {
        for (Operation op : ops) {
            if (op instanceof Operation.Watermark w) {
                Files.createDirectories(textFile.getParent());
                Files.writeString(textFile, w.text(), StandardCharsets.UTF_8);
            }
        }
    }
}
