package io.vidbatch.media;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A named output format: codecs, the box the picture is fitted into (never upscaled), rate
 * control and container. Users pick a preset by name; they never pass encoder flags.
 */
public enum Preset {
    H264_1080P(
            "h264-1080p",
            1920,
            1080,
            Codec.H264,
            "crf 21, max 8 Mbit/s",
            List.of("-crf", "21", "-maxrate", "8M", "-bufsize", "16M")),
    H264_720P(
            "h264-720p",
            1280,
            720,
            Codec.H264,
            "crf 23, max 4 Mbit/s",
            List.of("-crf", "23", "-maxrate", "4M", "-bufsize", "8M")),
    H264_480P(
            "h264-480p",
            854,
            480,
            Codec.H264,
            "crf 24, max 1.5 Mbit/s",
            List.of("-crf", "24", "-maxrate", "1500k", "-bufsize", "3M")),
    HEVC_1080P(
            "hevc-1080p",
            1920,
            1080,
            Codec.HEVC,
            "crf 26, max 5 Mbit/s",
            List.of("-crf", "26", "-maxrate", "5M", "-bufsize", "10M")),
    VP9_720P("vp9-720p", 1280, 720, Codec.VP9, "crf 34, max 3 Mbit/s", List.of("-crf", "34", "-b:v", "3M")),
    /** HEVC Main 10: keeps HDR10 and HLG (colour tags, mastering display, light levels). */
    HEVC_10BIT_1080P(
            "hevc-10bit-1080p",
            1920,
            1080,
            Codec.HEVC_10BIT,
            "crf 26, max 6 Mbit/s",
            List.of("-crf", "26", "-maxrate", "6M", "-bufsize", "12M")),
    /** AV1 10-bit through SVT-AV1: keeps HDR10 and HLG likewise. */
    AV1_10BIT_1080P("av1-10bit-1080p", 1920, 1080, Codec.AV1_10BIT, "crf 32", List.of("-crf", "32"));

    /** Encoder families: encoder flags, audio codec and container belong together. */
    public enum Codec {
        H264(
                "mp4",
                List.of("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high"),
                List.of("-c:a", "aac", "-b:a", "128k")),
        // hvc1 tag: Apple players refuse HEVC in MP4 tagged hev1.
        HEVC(
                "mp4",
                List.of("-c:v", "libx265", "-preset", "fast", "-tag:v", "hvc1"),
                List.of("-c:a", "aac", "-b:a", "128k")),
        VP9(
                "webm",
                List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1"),
                List.of("-c:a", "libopus", "-b:a", "96k")),
        HEVC_10BIT(
                "mp4",
                List.of("-c:v", "libx265", "-preset", "fast", "-profile:v", "main10", "-tag:v", "hvc1"),
                List.of("-c:a", "aac", "-b:a", "128k")),
        AV1_10BIT("mp4", List.of("-c:v", "libsvtav1", "-preset", "8"), List.of("-c:a", "aac", "-b:a", "128k"));

        boolean tenBit() {
            return this == HEVC_10BIT || this == AV1_10BIT;
        }

        /** The muxer's name, which is also the file extension. */
        final String format;

        final List<String> videoArgs;
        final List<String> audioArgs;

        Codec(String format, List<String> videoArgs, List<String> audioArgs) {
            this.format = format;
            this.videoArgs = videoArgs;
            this.audioArgs = audioArgs;
        }
    }

    private final String id;
    private final int maxWidth;
    private final int maxHeight;
    private final Codec codec;
    private final String rateSummary;
    private final List<String> rateArgs;

    Preset(String id, int maxWidth, int maxHeight, Codec codec, String rateSummary, List<String> rateArgs) {
        this.id = id;
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        this.codec = codec;
        this.rateSummary = rateSummary;
        this.rateArgs = rateArgs;
    }

    public String id() {
        return id;
    }

    /** ffmpeg muxer name, e.g. {@code mp4}. */
    public String format() {
        return codec.format;
    }

    public String extension() {
        return codec.format;
    }

    public String description() {
        return codec.name().replace("_10BIT", " 10-bit") + " within " + maxWidth + "x" + maxHeight + ", " + rateSummary
                + ", " + extension();
    }

    public List<String> videoArgs() {
        return concat(codec.videoArgs, rateArgs);
    }

    /** 10 bits per sample: high dynamic range survives; an 8-bit preset tone-maps it to SDR. */
    public boolean tenBit() {
        return codec.tenBit();
    }

    /** The picture's sample format on its way into the encoder. */
    public String pixelFormat() {
        return tenBit() ? "yuv420p10le" : "yuv420p";
    }

    /**
     * The encoder's threads and its library's own parameters: an HDR source's mastering display
     * and light levels written into the bitstream when the HDR is kept (colour tags go as ffmpeg
     * options, for every encoder). One {@code -x265-params} or {@code -svtav1-params} holds them
     * all: ffmpeg keeps only the last one given.
     *
     * @param kept the HDR this preset keeps, or null (an SDR source, or HDR tone-mapped to SDR)
     */
    List<String> encoderArgs(Threads threads, StreamPlan.Hdr kept) {
        return switch (codec) {
            case HEVC, HEVC_10BIT ->
                List.of(
                        "-x265-params",
                        params(
                                "log-level=error",
                                threads.x265Param(),
                                kept == null ? null : "hdr10=1:repeat-headers=1",
                                kept == null || kept.masterDisplay() == null
                                        ? null
                                        : "master-display=" + kept.masterDisplay(),
                                kept == null || kept.contentLight() == null ? null : "max-cll=" + kept.contentLight()));
            case AV1_10BIT ->
                concat(
                        threads.encoder(),
                        List.of(
                                "-svtav1-params",
                                params(
                                        threads.svtAv1Param(),
                                        kept == null || kept.masterDisplay() == null
                                                ? null
                                                : "mastering-display=" + kept.svtMasterDisplay(),
                                        kept == null || kept.contentLight() == null
                                                ? null
                                                : "content-light=" + kept.contentLight())));
            default -> threads.encoder();
        };
    }

    /** key=value pairs joined with colons, those that are null left out. */
    private static String params(String... pairs) {
        return Arrays.stream(pairs).filter(Objects::nonNull).collect(Collectors.joining(":"));
    }

    public List<String> audioArgs() {
        return codec.audioArgs;
    }

    /** The audio encoder's name as the report gives it: {@code aac}, {@code libopus}. */
    public String audioCodec() {
        return codec.audioArgs.get(codec.audioArgs.indexOf("-c:a") + 1);
    }

    /** The container's text subtitle format: what text subtitles are converted to. */
    public String subtitleCodec() {
        return codec.format.equals("webm") ? "webvtt" : "mov_text";
    }

    /** Muxer flags for the final file: MP4 gets its index up front so players can start at once. */
    public List<String> muxArgs() {
        return codec.format.equals("mp4") ? List.of("-movflags", "+faststart") : List.of();
    }

    /**
     * Fits the picture into the preset's box keeping its aspect ratio, never upscaling, with
     * even dimensions (4:2:0 needs them).
     */
    public String fitFilter() {
        return "scale=w='min(" + maxWidth + ",iw)':h='min(" + maxHeight + ",ih)'"
                + ":force_original_aspect_ratio=decrease:force_divisible_by=2";
    }

    public static Optional<Preset> named(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(Preset::id).collect(Collectors.joining(", "));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
