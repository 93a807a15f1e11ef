package io.vidbatch.it;

import io.vidbatch.media.Samples;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stream kept, or its fate reported, through a real job: a rotated MP4 with three audio
 * tracks (eng, fra, deu; English the default), two text subtitle tracks and two chapters comes
 * out upright with all of them, encoded whole and in segments alike; the report names each
 * source stream's fate; {@code audio} chooses tracks by language.
 */
@MicroShedTest
class StreamsIT {

    private static final String SOURCE = "samples/multi-stream-rotated.mp4";

    @Test
    void aRotatedSourceKeepsEveryTrackAndChapterWholeAndSegmented() throws Exception {
        long whole = Jobs.submit(Jobs.body("inputs", List.of(SOURCE), "outputDir", Jobs.dir("it-streams-whole")));
        long cut = Jobs.submit(
                Jobs.body("inputs", List.of(SOURCE), "outputDir", Jobs.dir("it-streams-cut"), "segmentSeconds", 2));
        long french = Jobs.submit(
                Jobs.body("inputs", List.of(SOURCE), "outputDir", Jobs.dir("it-streams-fra"), "audio", "fra"));
        for (long id : List.of(whole, cut)) {
            JsonObject job = Jobs.waitForEndByStatus(id, Duration.ofMinutes(3));
            assertThat(job.getString("exitStatus")).as("job " + id).startsWith("ALL DONE");
            JsonObject input = job.getJsonArray("inputs").getJsonObject(0);
            JsonObject probe = Samples.streamsAndChapters(
                    Path.of(input.getJsonObject("output").getString("path")));
            List<JsonObject> video = Samples.streams(probe, "video");
            assertThat(video).hasSize(1);
            assertThat(video.get(0).getInt("width")).as("upright").isEqualTo(360);
            assertThat(video.get(0).getInt("height")).isEqualTo(640);
            assertThat(video.get(0).containsKey("side_data_list"))
                    .as("no rotation left to apply twice")
                    .isFalse();
            List<JsonObject> audio = Samples.streams(probe, "audio");
            assertThat(audio).extracting(s -> Samples.tag(s, "language")).containsExactly("eng", "fra", "deu");
            assertThat(audio)
                    .extracting(s -> s.getJsonObject("disposition").getInt("default"))
                    .containsExactly(1, 0, 0);
            assertThat(Samples.streams(probe, "subtitle"))
                    .extracting(s -> Samples.tag(s, "language"))
                    .containsExactly("eng", "fra");
            assertThat(probe.getJsonArray("chapters").getValuesAs(JsonObject.class))
                    .extracting(c -> Samples.tag(c, "title"))
                    .containsExactly("Opening", "Ending");
            assertThat(input.getInt("chapters")).isEqualTo(2);
            Report.row(
                    "streams",
                    SOURCE + (id == cut ? " in 2 s segments" : " whole"),
                    "3 audio tracks (eng default, fra, deu), "
                            + "2 mov_text subtitle tracks (eng, fra), 2 chapters, 360x640 upright; report: "
                            + fates(input));
        }
        JsonObject cutInput = Jobs.get(cut).getJsonArray("inputs").getJsonObject(0);
        assertThat(cutInput.getInt("segments")).isEqualTo(3);
        assertThat(fates(cutInput))
                .isEqualTo("video h264: converted (h264-720p); audio eng: converted (aac); "
                        + "audio fra: converted (aac); audio deu: converted (aac); subtitle eng: kept (mov_text); subtitle fra: kept (mov_text); "
                        + "data eng: dropped (a data stream (bin_data)); data eng: dropped (a data stream (bin_data))");

        JsonObject fr = Jobs.waitForEndByStatus(french, Duration.ofMinutes(3));
        JsonObject frInput = fr.getJsonArray("inputs").getJsonObject(0);
        assertThat(Samples.streams(
                        Samples.streamsAndChapters(
                                Path.of(frInput.getJsonObject("output").getString("path"))),
                        "audio"))
                .extracting(s -> Samples.tag(s, "language"))
                .containsExactly("fra");
        assertThat(fates(frInput)).contains("audio eng: dropped (not asked for (audio=fra))");
    }

    @Test
    void aLanguageTheSourceLacksRejectsTheInputSayingWhichItHas() {
        long id = Jobs.submit(
                Jobs.body("inputs", List.of(SOURCE), "outputDir", Jobs.dir("it-streams-ita"), "audio", "ita"));
        JsonObject job = Jobs.waitForEndByStatus(id, Duration.ofMinutes(2));
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getJsonArray("inputs").getJsonObject(0).getString("reason"))
                .isEqualTo("no audio track in ita (the source has eng, fra, deu)");
        assertThat(Api.as(Api.SUBMITTER)
                        .post(
                                Api.appUrl() + "/api/v1/jobs",
                                Jobs.body("inputs", List.of(SOURCE), "audio", "english please"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void anHdr10SourceKeepsHdrInATenBitPresetAndIsToneMappedInAnEightBitOne() throws Exception {
        String hdr = "samples/hdr10-hevc.mp4";
        long kept = Jobs.submit(
                Jobs.body("inputs", List.of(hdr), "outputDir", Jobs.dir("it-hdr-kept"), "preset", "hevc-10bit-1080p"));
        long mapped = Jobs.submit(
                Jobs.body("inputs", List.of(hdr), "outputDir", Jobs.dir("it-hdr-sdr"), "segmentSeconds", 2));
        JsonObject k = Jobs.waitForEndByStatus(kept, Duration.ofMinutes(3))
                .getJsonArray("inputs")
                .getJsonObject(0);
        JsonObject m = Jobs.waitForEndByStatus(mapped, Duration.ofMinutes(3))
                .getJsonArray("inputs")
                .getJsonObject(0);
        assertThat(k.getString("state")).as(k.toString()).isEqualTo("DONE");
        assertThat(m.getString("state")).as(m.toString()).isEqualTo("DONE");
        assertThat(m.getInt("segments")).as("tone-mapped in segments").isEqualTo(2);

        JsonObject keptVideo = Samples.streams(
                        Samples.streamsAndChapters(
                                Path.of(k.getJsonObject("output").getString("path"))),
                        "video")
                .get(0);
        assertThat(keptVideo.getString("pix_fmt")).isEqualTo("yuv420p10le");
        assertThat(keptVideo.getString("color_transfer")).isEqualTo("smpte2084");
        assertThat(keptVideo.getString("color_primaries")).isEqualTo("bt2020");
        assertThat(fates(k))
                .startsWith("video hevc: converted (hevc-10bit-1080p, HDR kept (smpte2084, bt2020, mastering display, "
                        + "light levels 1000,400))");
        JsonObject sdrVideo = Samples.streams(
                        Samples.streamsAndChapters(
                                Path.of(m.getJsonObject("output").getString("path"))),
                        "video")
                .get(0);
        assertThat(sdrVideo.getString("pix_fmt")).isEqualTo("yuv420p");
        assertThat(sdrVideo.getString("color_transfer")).isEqualTo("bt709");
        assertThat(fates(m))
                .startsWith("video hevc: converted (h264-720p, tone-mapped from HDR (smpte2084) to SDR BT.709)");
        Report.row(
                "streams",
                hdr + " (HDR10) through hevc-10bit-1080p",
                "yuv420p10le, smpte2084, bt2020, mastering display kept");
        Report.row("streams", hdr + " (HDR10) through h264-720p in 2 s segments", "yuv420p, bt709: tone-mapped");
    }

    /** "audio fra: converted (aac); ...": the report's word on each source stream. */
    private static String fates(JsonObject input) {
        return String.join(
                "; ",
                input.getJsonArray("streams").getValuesAs(JsonObject.class).stream()
                        .map(f -> f.getString("type") + " " + f.getString("language", f.getString("codec")) + ": "
                                + f.getString("fate") + " (" + f.getString("how") + ")")
                        .toList());
    }
}
