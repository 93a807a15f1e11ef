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
        StreamPlan plan = StreamPlan.of(info, audio, preset);
        Expected e = new Expected(info.video().frames(), 0, info.video().streamDuration(), 0.05, true, plan.audio().size(),
                plan.subtitles().size(), plan.chapters());
        transcoder.transcode(new Transcoder.Request(source, out, Part.WHOLE, preset, List.of(), e, plan.map(),
                out.resolveSibling(out.getFileName() + ".log")), Progress.Listener.IGNORE, () -> false);
        return prober.probe(out);
    }

    @Test
    void everyAudioTrackSubtitleAndChapterOfAMatroskaSourceReachesAnMp4() throws Exception {
        Path out = Samples.scratch().resolve("multi.mp4");
        encode(Samples.sample("multi-stream.mkv"), Preset.H264_720P, StreamPlan.ALL, out);
        JsonObject probe = Samples.streamsAndChapters(out);
        List<JsonObject> audio = Samples.streams(probe, "audio");
        assertThat(audio).extracting(s -> Samples.tag(s, "language")).containsExactly("eng", "fra", "deu");
        assertThat(audio).extracting(s -> s.getJsonObject("disposition").getInt("default")).containsExactly(1, 0, 0);
        assertThat(audio).extracting(s -> s.getString("codec_name")).containsOnly("aac");
        List<JsonObject> subtitles = Samples.streams(probe, "subtitle");
        assertThat(subtitles).extracting(s -> s.getString("codec_name")).containsExactly("mov_text", "mov_text");
        assertThat(subtitles).extracting(s -> Samples.tag(s, "language")).containsExactly("eng", "fra");
        assertThat(probe.getJsonArray("chapters").getValuesAs(JsonObject.class)).extracting(c -> Samples.tag(c, "title"))
                .containsExactly("Opening", "Ending");
    }

    @Test
    void aWebmOutputKeepsTitlesAndCarriesTheSubtitlesAsWebVtt() throws Exception {
        Path out = Samples.scratch().resolve("multi.webm");
        encode(Samples.sample("multi-stream.mkv"), Preset.VP9_720P, StreamPlan.ALL, out);
        JsonObject probe = Samples.streamsAndChapters(out);
        assertThat(Samples.streams(probe, "audio")).extracting(s -> Samples.tag(s, "title"))
                .containsExactly("English stereo", "Français", "Deutsch");
        assertThat(Samples.streams(probe, "subtitle")).extracting(s -> s.getString("codec_name")).containsExactly("webvtt", "webvtt");
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
                .extracting(s -> Samples.tag(s, "language")).containsExactly("fra");
        encode(source, Preset.H264_720P, StreamPlan.FIRST, dir.resolve("first.mp4"));
        assertThat(Samples.streams(Samples.streamsAndChapters(dir.resolve("first.mp4")), "audio"))
                .extracting(s -> Samples.tag(s, "language")).containsExactly("eng");
    }

    @Test
    void anHdrSourceIsReportedAsNotToneMapped() throws Exception {
        Path hdr = Samples.scratch().resolve("hdr10.mp4");
        Samples.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=128x72:rate=10", "-frames:v", "10", "-c:v", "libx265", "-pix_fmt",
                "yuv420p10le", "-x265-params", "log-level=error", "-color_primaries", "bt2020", "-color_trc", "smpte2084",
                "-colorspace", "bt2020nc", hdr.toString());
        StreamPlan plan = StreamPlan.of(prober.probe(hdr), StreamPlan.ALL, Preset.H264_720P);
        assertThat(plan.fates().get(0).how())
                .isEqualTo("h264-720p, 8-bit: the source is HDR (smpte2084) and is not tone-mapped, so its colours will look wrong");
    }

    @Test
    void aPlanSaysWhatBecomesOfEveryStream() throws Exception {
        MediaInfo info = prober.probe(Samples.sample("multi-stream.mkv"));
        StreamPlan plan = StreamPlan.of(info, "fra", Preset.H264_720P);
        assertThat(plan.audio()).containsExactly(1);
        assertThat(plan.subtitles()).containsExactly(0, 1);
        assertThat(plan.fates()).extracting(f -> f.type() + " " + f.language() + ": " + f.fate() + " (" + f.how() + ")").containsExactly(
                "video null: converted (h264-720p)",
                "audio eng: dropped (not asked for (audio=fra))",
                "audio fra: converted (aac)",
                "audio deu: dropped (not asked for (audio=fra))",
                "subtitle eng: converted (mov_text)",
                "subtitle fra: converted (mov_text)");
        assertThat(StreamPlan.of(info, StreamPlan.FIRST, Preset.VP9_720P).audio()).containsExactly(0);
        assertThatThrownBy(() -> StreamPlan.of(info, "ita,spa", Preset.H264_720P)).isInstanceOf(BadMediaException.class)
                .hasMessage("no audio track in ita, spa (the source has eng, fra, deu)");
        assertThat(StreamPlan.checkAudio("eng,fra")).isNull();
        assertThat(StreamPlan.checkAudio("english; rm -rf")).contains("must be all, first, or languages");
    }
}
