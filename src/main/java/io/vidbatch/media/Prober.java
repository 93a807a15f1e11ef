package io.vidbatch.media;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs ffprobe on a file and turns its JSON into {@link MediaInfo}. */
public final class Prober {

    private static final long TIMEOUT_SECONDS = 120;
    /**
     * The largest picture side taken: 8K DCI's width, the most H.264 and HEVC levels define. A
     * header claiming more is a damaged or crafted file, and decoding it could take gigabytes.
     */
    private static final int MAX_SIDE = 8192;

    private final Tools tools;

    public Prober(Tools tools) {
        this.tools = tools;
    }

    /**
     * Probes a file, counting its packets so frame counts are exact (demux only, no decode).
     *
     * @throws BadMediaException when the file is missing, empty, unreadable or has no video
     */
    public MediaInfo probe(Path file) throws BadMediaException, ToolFailureException {
        MediaInfo info = probeAny(file);
        checkVideo(info);
        return info;
    }

    /** A picture vidbatch can take: there, sized, with frames and a duration. */
    static void checkVideo(MediaInfo info) throws BadMediaException {
        if (info.video() == null) {
            throw new BadMediaException("no video stream");
        }
        if (info.video().width() <= 0 || info.video().height() <= 0) {
            throw new BadMediaException("video stream has no picture size");
        }
        if (info.video().width() > MAX_SIDE || info.video().height() > MAX_SIDE) {
            throw new BadMediaException(
                    "picture " + info.video().width() + "x" + info.video().height()
                            + " is larger than vidbatch takes (at most " + MAX_SIDE + " pixels a side)");
        }
        if (info.video().frames() <= 0) {
            throw new BadMediaException("video stream has no frames");
        }
        if (!(info.durationSeconds() > 0)) {
            throw new BadMediaException("duration is unknown or zero");
        }
    }

    /** Probes any media file, with or without video. */
    public MediaInfo probeAny(Path file) throws BadMediaException, ToolFailureException {
        if (!Files.isRegularFile(file)) {
            throw new BadMediaException("not found or not a regular file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new BadMediaException("cannot read: " + e.getMessage());
        }
        if (size == 0) {
            throw new BadMediaException("empty file (0 bytes)");
        }
        List<String> cmd =
                ffprobe(file, "-count_packets", "-show_format", "-show_streams", "-show_chapters", "-of", "json");
        Output out = run(cmd, TIMEOUT_SECONDS);
        if (out.exitCode != 0) {
            throw new BadMediaException(Containers.refusal(out.stderr)
                    .orElseGet(() -> "not a readable media file: " + describe(out.stderr, file)));
        }
        return parse(out.stdout, size);
    }

    /**
     * The video packets' times and keyframe flags, and for H.264 and HEVC the pictures the
     * bitstream marks as random access points: what choosing cut points needs.
     *
     * @param codec the video stream's codec, as {@link MediaInfo.Video#codec()} names it
     */
    public PacketTimes packetsForCutting(Path file, String codec) throws BadMediaException, ToolFailureException {
        return packets(file).withRandomAccess(randomAccessTimes(file, codec));
    }

    /** The video packets' times and keyframe flags, in decode order (demux only, no decode). */
    public PacketTimes packets(Path file) throws BadMediaException, ToolFailureException {
        List<String> cmd =
                ffprobe(file, "-select_streams", "V:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0");
        Output out = run(cmd, TIMEOUT_SECONDS);
        if (out.exitCode != 0) {
            throw new BadMediaException("cannot read packets: " + firstLine(out.stderr));
        }
        List<PacketTimes.Packet> packets = new ArrayList<>();
        for (String line : out.stdout.split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length >= 2 && !f[0].equals("N/A")) {
                try {
                    packets.add(new PacketTimes.Packet(Double.parseDouble(f[0]), f[1].startsWith("K")));
                } catch (NumberFormatException ignored) {
                    // a packet without a usable time is neither a cut point nor a frame interval
                }
            }
        }
        return new PacketTimes(packets);
    }

    /**
     * An HDR source's colour description with the mastering display and light levels its first
     * picture carries (decoding one picture); null for an SDR source.
     */
    public StreamPlan.Hdr hdr(Path file, MediaInfo.Video video) throws BadMediaException, ToolFailureException {
        if (!video.hdr()) {
            return null;
        }
        List<String> cmd =
                ffprobe(file, "-select_streams", "V:0", "-read_intervals", "%+#1", "-show_frames", "-of", "json");
        Output out = run(cmd, TIMEOUT_SECONDS);
        if (out.exitCode != 0) {
            throw new BadMediaException("cannot read the first picture: " + firstLine(out.stderr));
        }
        String master = null;
        String light = null;
        try (JsonReader r = Json.createReader(new StringReader(out.stdout))) {
            JsonArray frames = r.readObject().getJsonArray("frames");
            JsonArray side = frames == null || frames.isEmpty()
                    ? null
                    : frames.getJsonObject(0).getJsonArray("side_data_list");
            for (JsonValue v : side == null ? List.<JsonValue>of() : side) {
                JsonObject d = v.asJsonObject();
                switch (d.getString("side_data_type", "")) {
                    case "Mastering display metadata" ->
                        master = String.format(
                                Locale.ROOT,
                                "G(%d,%d)B(%d,%d)R(%d,%d)WP(%d,%d)L(%d,%d)",
                                chroma(d, "green_x"),
                                chroma(d, "green_y"),
                                chroma(d, "blue_x"),
                                chroma(d, "blue_y"),
                                chroma(d, "red_x"),
                                chroma(d, "red_y"),
                                chroma(d, "white_point_x"),
                                chroma(d, "white_point_y"),
                                Math.round(rational(d.getString("max_luminance", "0")) * 10000),
                                Math.round(rational(d.getString("min_luminance", "0")) * 10000));
                    case "Content light level metadata" ->
                        light = d.getInt("max_content", 0) + "," + d.getInt("max_average", 0);
                    default -> {}
                }
            }
        } catch (JsonParsingException | ClassCastException e) {
            throw new BadMediaException("ffprobe gave no usable answer about the first picture");
        }
        return new StreamPlan.Hdr(video.transfer(), video.primaries(), video.matrix(), master, light);
    }

    /** A chromaticity coordinate in x265's units of 0.00002. */
    private static long chroma(JsonObject d, String key) {
        return Math.round(rational(d.getString(key, "0")) * 50000);
    }

    /** NAL unit types of the pictures a decoder can start at: H.264 IDR; HEVC IRAP (BLA, IDR, CRA). */
    private static final Map<String, String> RANDOM_ACCESS_NALS = Map.of("h264", "5", "hevc", "16-21");
    /** A copy of the video stream runs at disk speed: an hour of 4K takes well under this. */
    private static final long COPY_TIMEOUT_SECONDS = 1800;

    /**
     * The times of the packets that hold a random access picture, read off the bitstream by
     * dropping every other NAL unit (stream copy, no decoding); null for codecs whose keyframe
     * flag is their random access point.
     */
    private List<Double> randomAccessTimes(Path file, String codec) throws BadMediaException, ToolFailureException {
        String types = RANDOM_ACCESS_NALS.get(codec);
        if (types == null) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg(), "-hide_banner", "-nostdin", "-v", "error"));
        cmd.addAll(Containers.input(file));
        cmd.addAll(List.of(
                "-map", "0:V:0", "-c", "copy", "-bsf:v", "filter_units=pass_types=" + types, "-f", "framecrc", "-"));
        Output out = run(cmd, COPY_TIMEOUT_SECONDS);
        if (out.exitCode != 0) {
            throw new BadMediaException("cannot read the video bitstream: " + firstLine(out.stderr));
        }
        return FrameCrc.ptsSeconds(out.stdout);
    }

    /** ffprobe on the file, opened as {@link Containers} allows, with these arguments. */
    private List<String> ffprobe(Path file, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffprobe(), "-v", "error"));
        cmd.addAll(List.of(args));
        cmd.addAll(Containers.input(file));
        return cmd;
    }

    static MediaInfo parse(String json, long size) throws BadMediaException {
        JsonObject root;
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            root = reader.readObject();
        } catch (JsonParsingException e) {
            throw new BadMediaException("ffprobe gave no usable answer");
        }
        JsonObject format = root.getJsonObject("format");
        if (format == null) {
            throw new BadMediaException("not a media file");
        }
        double duration = number(format, "duration", 0);
        MediaInfo.Video video = null;
        List<MediaInfo.Stream> all = new ArrayList<>();
        Map<String, Integer> perType = new HashMap<>();
        JsonArray streams = root.getJsonArray("streams");
        if (streams != null) {
            for (JsonValue v : streams) {
                JsonObject s = v.asJsonObject();
                String type = s.getString("codec_type", "unknown");
                JsonObject disposition =
                        s.containsKey("disposition") ? s.getJsonObject("disposition") : JsonValue.EMPTY_JSON_OBJECT;
                boolean attachedPicture = disposition.getInt("attached_pic", 0) == 1;
                if (type.equals("video") && video == null && !attachedPicture) {
                    video = video(s, duration);
                }
                JsonObject tags = s.containsKey("tags") ? s.getJsonObject("tags") : JsonValue.EMPTY_JSON_OBJECT;
                int typeIndex = perType.merge(type, 1, Integer::sum) - 1;
                all.add(new MediaInfo.Stream(
                        s.getInt("index", all.size()),
                        type,
                        typeIndex,
                        s.getString("codec_name", "unknown"),
                        tag(tags, "language"),
                        tag(tags, "title"),
                        disposition.getInt("default", 0) == 1,
                        attachedPicture));
            }
        }
        JsonArray chapters = root.getJsonArray("chapters");
        return new MediaInfo(
                number(format, "start_time", 0),
                duration,
                size,
                video,
                List.copyOf(all),
                chapters == null ? 0 : chapters.size());
    }

    /** A tag's text, or null when absent, empty or "und" (undetermined). */
    private static String tag(JsonObject tags, String name) {
        JsonValue v = tags.get(name);
        if (!(v instanceof JsonString text)
                || text.getString().isBlank()
                || text.getString().equals("und")) {
            return null;
        }
        String t = text.getString().strip();
        // A title is the file's to choose: 40,000 characters of it would not fit the input's record.
        return t.length() > MAX_TAG_CHARS ? t.substring(0, MAX_TAG_CHARS) + "…" : t;
    }

    static final int MAX_TAG_CHARS = 200;

    private static MediaInfo.Video video(JsonObject s, double containerDuration) {
        double base = rational(s.getString("r_frame_rate", "0/0"));
        double rate = rational(s.getString("avg_frame_rate", "0/0"));
        if (!(rate > 0)) {
            rate = base;
        }
        long frames = (long) number(s, "nb_read_packets", 0);
        double streamDuration = number(s, "duration", tagDuration(s, containerDuration));
        return new MediaInfo.Video(
                s.getString("codec_name", "unknown"),
                s.getInt("width", 0),
                s.getInt("height", 0),
                rotation(s),
                rate,
                base,
                frames,
                streamDuration,
                s.getString("color_transfer", null),
                s.getString("color_primaries", null),
                s.getString("color_space", null));
    }

    /**
     * Matroska/WebM keep a stream's duration only in its DURATION tag (HH:MM:SS.nnnnnnnnn); the
     * container's duration there includes the audio's tail and would blur a one-frame check.
     */
    private static double tagDuration(JsonObject s, double fallback) {
        JsonObject tags = s.getJsonObject("tags");
        if (tags == null) {
            return fallback;
        }
        String d = tags.getString("DURATION", tags.getString("duration", ""));
        String[] hms = d.split(":");
        if (hms.length != 3) {
            return fallback;
        }
        try {
            return Integer.parseInt(hms[0]) * 3600 + Integer.parseInt(hms[1]) * 60 + Double.parseDouble(hms[2]);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Rotation from the display matrix side data (ffmpeg 5+) or the legacy rotate tag. */
    private static int rotation(JsonObject s) {
        double degrees = 0;
        JsonArray side = s.getJsonArray("side_data_list");
        if (side != null) {
            for (JsonValue v : side) {
                JsonObject d = v.asJsonObject();
                if (d.containsKey("rotation") && d.get("rotation").getValueType() == JsonValue.ValueType.NUMBER) {
                    degrees = d.getJsonNumber("rotation").doubleValue();
                }
            }
        }
        JsonObject tags = s.getJsonObject("tags");
        if (degrees == 0 && tags != null && tags.containsKey("rotate")) {
            try {
                degrees = Double.parseDouble(tags.getString("rotate", "0"));
            } catch (NumberFormatException | ClassCastException e) {
                degrees = 0; // a tag we cannot read is no rotation
            }
        }
        int normalised = (int) Math.round(degrees) % 360;
        return normalised < 0 ? normalised + 360 : normalised;
    }

    private static double number(JsonObject o, String key, double fallback) {
        if (!o.containsKey(key)) {
            return fallback;
        }
        JsonValue v = o.get(key);
        try {
            return switch (v.getValueType()) {
                case NUMBER -> o.getJsonNumber(key).doubleValue();
                case STRING -> Double.parseDouble(o.getString(key));
                default -> fallback;
            };
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static double rational(String r) {
        String[] p = r.split("/");
        try {
            if (p.length == 2) {
                double den = Double.parseDouble(p[1]);
                return den == 0 ? 0 : Double.parseDouble(p[0]) / den;
            }
            return Double.parseDouble(r);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private record Output(int exitCode, String stdout, String stderr) {}

    private static Output run(List<String> cmd, long timeoutSeconds) throws ToolFailureException {
        Path err = null;
        try {
            err = Files.createTempFile("ffprobe", ".err");
            Path outFile = Files.createTempFile("ffprobe", ".json");
            Process p = null;
            try {
                p = ChildProcesses.tool(cmd)
                        .redirectOutput(outFile.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    throw new ToolFailureException(
                            Path.of(cmd.get(0)).getFileName() + " did not answer within " + timeoutSeconds + " s");
                }
                return new Output(
                        p.exitValue(),
                        Files.readString(outFile, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly(); // interrupted or timed out: never leave ffprobe behind
                }
                Files.deleteIfExists(outFile);
            }
        } catch (IOException e) {
            throw new ToolFailureException("cannot run ffprobe: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailureException("interrupted while probing", e);
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a stray temp file is not worth failing a probe over
                }
            }
        }
    }

    /** ffprobe's complaint without object addresses or the path: "moov atom not found; Invalid data found ...". */
    static String describe(String stderr, Path file) {
        String path = "file:" + file.toAbsolutePath() + ": ";
        List<String> lines = stderr.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .map(l -> l.replaceFirst("^\\[[^]]*@ 0x[0-9a-f]+\\] ", "").replace(path, ""))
                .distinct()
                .toList();
        return lines.isEmpty() ? "no details from ffprobe" : String.join("; ", lines);
    }

    static String firstLine(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "no details from ffprobe";
        }
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
