package io.vidbatch.media;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every stream kept or its fate reported: a source with three audio tracks (eng, fra, deu, with
 * titles, English the default), two text subtitle tracks and two chapters, through the real
 * ffmpeg, each output read back with ffprobe.
 */
class StreamsTest {

    final Prober prober = new Prober(Samples.TOOLS);
    final Transcoder transcoder = new Transcoder(Samples.TOOLS);

    private MediaInfo encode(Path source, Preset preset, String audio, Path out) throws Exception {
        MediaInfo info = prober.probe(source);
        StreamPlan plan = StreamPlan.of(info, audio, preset, prober.hdr(source, info.video()));
        Expected e = new Expected(
                info.video().frames(),
                0,
                info.video().streamDuration(),
                0.05,
                true,
                plan.audio().size(),
                plan.subtitles().size(),
                plan.chapters(),
                plan.hdr() == null ? null : preset.tenBit() ? plan.hdr().transfer() : "bt709");
        transcoder.transcode(
                new Transcoder.Request(
                        source,
                        out,
                        Part.WHOLE,
                        preset,
                        List.of(),
                        e,
                        plan.map(),
                        out.resolveSibling(out.getFileName() + ".log"),
                        null),
                Progress.Listener.IGNORE,
                () -> false);
        return prober.probe(out);
    }

    @Test
    void everyAudioTrackSubtitleAndChapterOfAMatroskaSourceReachesAnMp4() throws Exception {
        Path out = Samples.scratch().resolve("multi.mp4");
        encode(Samples.sample("multi-stream.mkv"), Preset.H264_720P, StreamPlan.ALL, out);
        JsonObject probe = Samples.streamsAndChapters(out);
        List<JsonObject> audio = Samples.streams(probe, "audio");
        assertThat(audio).extracting(s -> Samples.tag(s, "language")).containsExactly("eng", "fra", "deu");
        assertThat(audio)
                .extracting(s -> s.getJsonObject("disposition").getInt("default"))
                .containsExactly(1, 0, 0);
        assertThat(audio).extracting(s -> s.getString("codec_name")).containsOnly("aac");
        List<JsonObject> subtitles = Samples.streams(probe, "subtitle");
        assertThat(subtitles).extracting(s -> s.getString("codec_name")).containsExactly("mov_text", "mov_text");
        assertThat(subtitles).extracting(s -> Samples.tag(s, "language")).containsExactly("eng", "fra");
        assertThat(probe.getJsonArray("chapters").getValuesAs(JsonObject.class))
                .extracting(c -> Samples.tag(c, "title"))
                .containsExactly("Opening", "Ending");
    }

    @Test
    void aWebmOutputKeepsTitlesAndCarriesTheSubtitlesAsWebVtt() throws Exception {
        Path out = Samples.scratch().resolve("multi.webm");
        encode(Samples.sample("multi-stream.mkv"), Preset.VP9_720P, StreamPlan.ALL, out);
        JsonObject probe = Samples.streamsAndChapters(out);
        assertThat(Samples.streams(probe, "audio"))
                .extracting(s -> Samples.tag(s, "title"))
                .containsExactly("English stereo", "Français", "Deutsch");
        assertThat(Samples.streams(probe, "subtitle"))
                .extracting(s -> s.getString("codec_name"))
                .containsExactly("webvtt", "webvtt");
        assertThat(probe.getJsonArray("chapters")).hasSize(2);
    }

    @Test
    void aRotatedMp4ComesOutUprightWithItsTracksAndChapters() throws Exception {
        Path out = Samples.scratch().resolve("rotated.mp4");
        MediaInfo info = encode(Samples.sample("multi-stream-rotated.mp4"), Preset.H264_720P, StreamPlan.ALL, out);
        // Turned as the source asked: portrait pixels, and no rotation left for a player to apply twice.
        assertThat(info.video().width()).isEqualTo(360);
        assertThat(info.video().height()).isEqualTo(640);
        assertThat(info.video().rotation()).isZero();
        assertThat(info.count("audio")).isEqualTo(3);
        assertThat(info.count("subtitle")).isEqualTo(2);
        assertThat(info.chapters()).isEqualTo(2);
    }

    @Test
    void theAudioParameterChoosesTracksByLanguageOrTheFirst() throws Exception {
        Path dir = Samples.scratch();
        Path source = Samples.sample("multi-stream.mkv");
        encode(source, Preset.H264_720P, "fra", dir.resolve("fr.mp4"));
        assertThat(Samples.streams(Samples.streamsAndChapters(dir.resolve("fr.mp4")), "audio"))
                .extracting(s -> Samples.tag(s, "language"))
                .containsExactly("fra");
        encode(source, Preset.H264_720P, StreamPlan.FIRST, dir.resolve("first.mp4"));
        assertThat(Samples.streams(Samples.streamsAndChapters(dir.resolve("first.mp4")), "audio"))
                .extracting(s -> Samples.tag(s, "language"))
                .containsExactly("eng");
    }

    /** A 2 s HDR10 clip: HEVC Main 10, PQ, BT.2020, with mastering display and light levels. */
    private static Path hdr10() throws Exception {
        Path hdr = Samples.scratch().resolve("hdr10.mp4");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x180:rate=10",
                "-frames:v",
                "20",
                "-vf",
                "format=yuv420p10le",
                "-c:v",
                "libx265",
                "-x265-params",
                "log-level=error:hdr10=1:repeat-headers=1:colorprim=bt2020:transfer=smpte2084:"
                        + "colormatrix=bt2020nc:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50):"
                        + "max-cll=1000,400",
                "-color_primaries",
                "bt2020",
                "-color_trc",
                "smpte2084",
                "-colorspace",
                "bt2020nc",
                hdr.toString());
        return hdr;
    }

    /** The first picture's side data as ffprobe shows it, by type. */
    private static java.util.Map<String, JsonObject> sideData(Path file) throws Exception {
        Process p = new ProcessBuilder(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-read_intervals",
                        "%+#1",
                        "-show_frames",
                        "-of",
                        "json",
                        file.toString())
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        try (var r = jakarta.json.Json.createReader(new java.io.StringReader(out))) {
            JsonObject frame = r.readObject().getJsonArray("frames").getJsonObject(0);
            return frame.containsKey("side_data_list")
                    ? frame.getJsonArray("side_data_list").getValuesAs(JsonObject.class).stream()
                            .collect(java.util.stream.Collectors.toMap(
                                    d -> d.getString("side_data_type"), d -> d, (a, b) -> a))
                    : java.util.Map.of();
        }
    }

    @Test
    void anHdr10SourceKeepsItsHdrThroughBothTenBitPresets() throws Exception {
        Path source = hdr10();
        for (Preset preset : List.of(Preset.HEVC_10BIT_1080P, Preset.AV1_10BIT_1080P)) {
            Path out = source.resolveSibling(preset.id() + ".mp4");
            encode(source, preset, StreamPlan.ALL, out);
            JsonObject video =
                    Samples.streams(Samples.streamsAndChapters(out), "video").get(0);
            assertThat(video.getString("pix_fmt")).as(preset.id()).isEqualTo("yuv420p10le");
            assertThat(video.getString("color_transfer")).isEqualTo("smpte2084");
            assertThat(video.getString("color_primaries")).isEqualTo("bt2020");
            java.util.Map<String, JsonObject> side = sideData(out);
            assertThat(side).as(preset.id()).containsKey("Mastering display metadata");
            // 1000 cd/m², whatever fixed point the codec keeps it in (HEVC 1/10000, AV1 1/256).
            assertThat(Prober.rational(side.get("Mastering display metadata").getString("max_luminance")))
                    .as(preset.id())
                    .isEqualTo(1000.0);
            assertThat(side.get("Content light level metadata").getInt("max_content"))
                    .isEqualTo(1000);
            assertThat(side.get("Content light level metadata").getInt("max_average"))
                    .isEqualTo(400);
        }
    }

    @Test
    void anHdr10SourceThroughAnEightBitPresetIsToneMappedToBt709() throws Exception {
        Path source = hdr10();
        Path out = source.resolveSibling("sdr.mp4");
        encode(source, Preset.H264_720P, StreamPlan.ALL, out);
        JsonObject video =
                Samples.streams(Samples.streamsAndChapters(out), "video").get(0);
        assertThat(video.getString("pix_fmt")).isEqualTo("yuv420p");
        assertThat(video.getString("color_transfer")).isEqualTo("bt709");
        assertThat(video.getString("color_primaries")).isEqualTo("bt709");
        // A plausible picture: its mean luma within 3 levels of a reference tone map made apart from the
        // product (the zscale/tonemap chain ffmpeg documents), and far from the 8-bit squash of the PQ samples.
        Path reference = source.resolveSibling("reference.mp4");
        Samples.ffmpeg(
                "-i",
                source.toString(),
                "-vf",
                "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
                        + "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p",
                "-c:v",
                "libx264",
                "-qp",
                "0",
                reference.toString());
        Path squash = source.resolveSibling("squash.mp4");
        Samples.ffmpeg(
                "-i", source.toString(), "-vf", "format=yuv420p", "-c:v", "libx264", "-qp", "0", squash.toString());
        double out8 = Samples.meanLuma(out);
        double ref = Samples.meanLuma(reference);
        double naive = Samples.meanLuma(squash);
        System.out.printf("HDR10 to SDR: mean luma %.1f, reference tone map %.1f, squashed %.1f%n", out8, ref, naive);
        assertThat(out8).isCloseTo(ref, org.assertj.core.data.Offset.offset(3.0));
        assertThat(Math.abs(naive - ref))
                .as("the band tells a tone map from a squash")
                .isGreaterThan(6);
        assertThat(StreamPlan.of(
                                prober.probe(source),
                                StreamPlan.ALL,
                                Preset.H264_720P,
                                prober.hdr(source, prober.probe(source).video()))
                        .fates()
                        .get(0)
                        .how())
                .isEqualTo("h264-720p, tone-mapped from HDR (smpte2084) to SDR BT.709");
    }

    @Test
    void anHlgSourceKeepsHlgInTenBitAndIsToneMappedInEightBit() throws Exception {
        Path hlg = Samples.scratch().resolve("hlg.mp4");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x180:rate=10",
                "-frames:v",
                "20",
                "-vf",
                "format=yuv420p10le",
                "-c:v",
                "libx265",
                "-x265-params",
                "log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc",
                "-color_primaries",
                "bt2020",
                "-color_trc",
                "arib-std-b67",
                "-colorspace",
                "bt2020nc",
                hlg.toString());
        Path kept = hlg.resolveSibling("hlg-kept.mp4");
        encode(hlg, Preset.HEVC_10BIT_1080P, StreamPlan.ALL, kept);
        JsonObject k =
                Samples.streams(Samples.streamsAndChapters(kept), "video").get(0);
        assertThat(k.getString("color_transfer")).isEqualTo("arib-std-b67");
        assertThat(k.getString("pix_fmt")).isEqualTo("yuv420p10le");
        Path sdr = hlg.resolveSibling("hlg-sdr.mp4");
        encode(hlg, Preset.H264_480P, StreamPlan.ALL, sdr);
        JsonObject s = Samples.streams(Samples.streamsAndChapters(sdr), "video").get(0);
        assertThat(s.getString("color_transfer")).isEqualTo("bt709");
        assertThat(s.getString("pix_fmt")).isEqualTo("yuv420p");
    }

    @Test
    void aPlanSaysWhatBecomesOfEveryStream() throws Exception {
        MediaInfo info = prober.probe(Samples.sample("multi-stream.mkv"));
        StreamPlan plan = StreamPlan.of(info, "fra", Preset.H264_720P);
        assertThat(plan.audio()).containsExactly(1);
        assertThat(plan.subtitles()).containsExactly(0, 1);
        assertThat(plan.fates())
                .extracting(f -> f.type() + " " + f.language() + ": " + f.fate() + " (" + f.how() + ")")
                .containsExactly(
                        "video null: converted (h264-720p)",
                        "audio eng: dropped (not asked for (audio=fra))",
                        "audio fra: converted (aac)",
                        "audio deu: dropped (not asked for (audio=fra))",
                        "subtitle eng: converted (mov_text)",
                        "subtitle fra: converted (mov_text)");
        assertThat(StreamPlan.of(info, StreamPlan.FIRST, Preset.VP9_720P).audio())
                .containsExactly(0);
        assertThatThrownBy(() -> StreamPlan.of(info, "ita,spa", Preset.H264_720P))
                .isInstanceOf(BadMediaException.class)
                .hasMessage("no audio track in ita, spa (the source has eng, fra, deu)");
        assertThat(StreamPlan.checkAudio("eng,fra")).isNull();
        assertThat(StreamPlan.checkAudio("english; rm -rf")).contains("must be all, first, or languages");
    }
}
