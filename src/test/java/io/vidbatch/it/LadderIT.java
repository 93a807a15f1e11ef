package io.vidbatch.it;

import io.vidbatch.media.Samples;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Ladder jobs: one source to a ladder of renditions packaged as CMAF for HLS and DASH, the same
 * on every launcher, checked with ffprobe and ffmpeg's own quality filters, a worker killed
 * mid-chunk redoing only its chunk.
 */
@MicroShedTest
class LadderIT extends WithSimulatedCluster {

    /** A real camera clip (720p, 20 fps), three audio languages, a variable frame rate. */
    static final List<String> INPUTS =
            List.of("real-world/cockatoo-720p.mp4", "samples/multi-stream.mkv", "samples/phone-vfr-12s.mp4");

    static JsonObject local;

    @BeforeAll
    static void ladderOnTheLocalLauncher() {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                INPUTS,
                "outputDir",
                Jobs.dir("it-ladder-local"),
                "ladder",
                "h264-ladder",
                "segmentSeconds",
                8,
                "workers",
                2));
        local = Jobs.waitForEnd(id, Duration.ofMinutes(5));
    }

    @Test
    void everyInputBecomesALadderOfTheRungsItsSourceAllows() throws Exception {
        assertThat(local.getString("exitStatus")).isEqualTo("ALL DONE: 3 of 3 inputs done, 0 failed, 0 rejected");
        JsonObject cockatoo = input(local, "real-world/cockatoo-720p.mp4");
        JsonObject ladder = cockatoo.getJsonObject("ladder");
        assertThat(ids(ladder)).containsExactly("h264-720p", "h264-540p", "h264-360p", "h264-240p");
        assertThat(ladder.getJsonArray("skipped").getString(0)).contains("1080:h264:22:6M", "not upscaled");
        assertThat(ladder.getString("vmaf")).contains("no libvmaf");
        JsonObject multi = input(local, "samples/multi-stream.mkv");
        assertThat(ids(multi.getJsonObject("ladder"))).containsExactly("h264-360p", "h264-240p");
        // Its two SubRip tracks as WebVTT, each named by the HLS playlist with its language.
        Path multiDir = Path.of(multi.getJsonObject("ladder").getString("dir"));
        assertThat(Files.readString(multiDir.resolve("subs-1.vtt"))).startsWith("WEBVTT");
        assertThat(Files.readString(multiDir.resolve("master.m3u8")))
                .contains("TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"fra\",LANGUAGE=\"fra\"", "SUBTITLES=\"subs\"");
        assertThat(multi.getJsonArray("streams").stream()
                        .map(JsonValue::asJsonObject)
                        .filter(s -> s.getString("type").equals("subtitle"))
                        .map(s -> s.getString("fate") + " " + s.getString("how")))
                .containsExactly("converted webvtt", "converted webvtt");
        Path dir = Path.of(ladder.getString("dir"));
        assertThat(dir.resolve("master.m3u8")).exists();
        for (JsonObject r : renditions(ladder)) {
            // The worst frame's still, for a person to look at: a JPEG of that rung's size.
            assertThat(r.getJsonNumber("worstFrame").longValue()).isBetween(0L, 279L);
            Path still = dir.resolve(r.getString("worstImage"));
            assertThat(Samples.ffprobeOutput(
                                    "-v",
                                    "error",
                                    "-show_entries",
                                    "stream=codec_name",
                                    "-of",
                                    "csv=p=0",
                                    still.toString())
                            .strip())
                    .isEqualTo("mjpeg");
        }
        assertThat(dir.resolve("manifest.mpd")).exists();
        // Published by a rename: nothing temporary left beside it.
        try (Stream<Path> s = Files.list(dir.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void everyRenditionHoldsEveryFrameWithKeyframesAtTheSameTimes() throws Exception {
        for (String given : INPUTS) {
            JsonObject in = input(local, given);
            JsonObject ladder = in.getJsonObject("ladder");
            Path dir = Path.of(ladder.getString("dir"));
            long frames = Samples.videoFrames(Jobs.inputs().resolve(given));
            String keyframes = null;
            List<JsonObject> renditions = renditions(ladder);
            for (int i = 0; i < renditions.size(); i++) {
                JsonObject r = renditions.get(i);
                Path whole = rendition(dir, i);
                String probe = Samples.ffprobeOutput(
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "stream=codec_name,width,height",
                        "-of",
                        "csv=p=0",
                        whole.toString());
                assertThat(probe.strip())
                        .as(given + " " + r.getString("id"))
                        .isEqualTo("h264," + r.getInt("width") + "," + r.getInt("height"));
                assertThat(Samples.videoFrames(whole))
                        .as(given + " " + r.getString("id"))
                        .isEqualTo(frames);
                String k = keyframeTimes(whole);
                if (keyframes == null) {
                    keyframes = k;
                }
                assertThat(k).as(given + " keyframes of " + r.getString("id")).isEqualTo(keyframes);
            }
            // One every 4 s: players can switch rung at each.
            double seconds = in.getJsonObject("probe").getJsonNumber("seconds").doubleValue();
            assertThat(keyframes.split(" ")).hasSize((int) Math.ceil(seconds / 4 - 0.01));
        }
    }

    @Test
    void qualityFiguresAreWhatFfmpegsOwnFiltersMeasure() throws Exception {
        String given = "samples/phone-vfr-12s.mp4";
        JsonObject ladder = input(local, given).getJsonObject("ladder");
        Path dir = Path.of(ladder.getString("dir"));
        List<JsonObject> renditions = renditions(ladder);
        for (int i = 0; i < renditions.size(); i++) {
            JsonObject q = renditions.get(i).getJsonObject("quality");
            Samples.Measured ffmpeg =
                    Samples.measuredByFfmpeg(rendition(dir, i), Jobs.inputs().resolve(given));
            assertThat(q.getJsonNumber("psnr").doubleValue()).isCloseTo(ffmpeg.psnr(), within(0.01));
            assertThat(Samples.ssimDb(q.getJsonNumber("ssim").doubleValue())).isCloseTo(ffmpeg.ssimDb(), within(0.01));
            assertThat(q.getJsonNumber("psnrMin").doubleValue())
                    .isLessThanOrEqualTo(q.getJsonNumber("psnrP1").doubleValue());
        }
    }

    @Test
    void theLadderPlaysWithHlsJsAndDashJsWhichSeeEveryRungAndSwitchBetweenThem() throws Exception {
        Path camera = Path.of(input(local, "real-world/cockatoo-720p.mp4")
                .getJsonObject("ladder")
                .getString("dir"));
        Path languages = Path.of(
                input(local, "samples/multi-stream.mkv").getJsonObject("ladder").getString("dir"));
        try (LadderPlayer player = new LadderPlayer()) {
            for (LadderPlayer.Result r : List.of(player.playHls(camera), player.playDash(camera))) {
                assertThat(r.errors()).as(r.player()).isEmpty();
                assertThat(r.rungs())
                        .as(r.player())
                        .extracting(LadderPlayer.Rung::height)
                        .containsExactlyInAnyOrder(720, 540, 360, 240);
                assertThat(r.playingAfterSwitch()).as(r.player()).isEqualTo(r.forced());
                assertThat(r.videoHeight())
                        .as(r.player() + ": the picture on screen")
                        .isEqualTo(r.forced().height());
                assertThat(r.timeAfterSwitch()).as(r.player()).isGreaterThan(r.timeSwitchShown());
            }
            LadderPlayer.Result hls = player.playHls(languages);
            assertThat(hls.audio()).extracting(LadderPlayer.Track::language).containsExactly("eng", "fra", "deu");
            assertThat(hls.subtitles()).extracting(LadderPlayer.Track::language).containsExactly("eng", "fra");
            LadderPlayer.Result dash = player.playDash(languages);
            assertThat(dash.audio())
                    .extracting(LadderPlayer.Track::language)
                    .containsExactlyInAnyOrder("en", "fr", "de");
            assertThat(dash.subtitles())
                    .extracting(LadderPlayer.Track::language)
                    .containsExactlyInAnyOrder("en", "fr");
        }
    }

    @Test
    void processAndKubernetesLaunchersMakeTheSamePlaylistsAndAKilledWorkerRedoesOnlyItsChunk() throws Exception {
        List<String> two = List.of("samples/multi-stream.mkv", "real-world/cockatoo-720p.mp4");
        long process = Jobs.submit(Jobs.body(
                "inputs",
                two,
                "outputDir",
                Jobs.dir("it-ladder-process"),
                "ladder",
                "h264-ladder",
                "segmentSeconds",
                8,
                "workers",
                2,
                "launcher",
                "process"));
        long kubernetes = Jobs.submit(Jobs.body(
                "inputs",
                two,
                "outputDir",
                Jobs.dir("it-ladder-k8s"),
                "ladder",
                "h264-ladder",
                "segmentSeconds",
                8,
                "workers",
                2,
                "launcher",
                "kubernetes"));
        // The real clip's first chunk (input 2 of the process job, encoded into its work folder): kill
        // its worker JVM once its ffmpeg is busy.
        ProcessHandle worker = LaunchersIT.awaitWorkerOf(".vidbatch-work/" + process + "/in-2", Duration.ofMinutes(2));
        worker.destroyForcibly();
        JsonObject p = Jobs.waitForEnd(process, Duration.ofMinutes(5));
        JsonObject k = Jobs.waitForEnd(kubernetes, Duration.ofMinutes(5));
        assertThat(p.getString("exitStatus")).isEqualTo("ALL DONE: 2 of 2 inputs done, 0 failed, 0 rejected");
        assertThat(k.getString("exitStatus")).isEqualTo("ALL DONE: 2 of 2 inputs done, 0 failed, 0 rejected");
        for (String given : two) {
            Map<String, String> expected = playlists(local, given);
            assertThat(expected).containsKeys("master.m3u8", "manifest.mpd", "media_0.m3u8");
            assertThat(playlists(p, given))
                    .as(given + " on the process launcher")
                    .isEqualTo(expected);
            assertThat(playlists(k, given))
                    .as(given + " on the Kubernetes launcher")
                    .isEqualTo(expected);
        }

        String log = Api.as(Api.ADMIN)
                .get(Api.batchUrl() + "/jobinstances/" + process + "/joblogs?type=text")
                .body();
        Map<Integer, Long> starts = RestartScenario.startedItems(log).stream()
                .collect(Collectors.groupingBy(i -> i, TreeMap::new, Collectors.counting()));
        assertThat(starts.values().stream().filter(n -> n == 2))
                .as("items started twice")
                .hasSize(1);
        assertThat(starts.values()).as("items started").allMatch(n -> n <= 2);
        assertThat(log).contains("will be retried");
    }

    @Test
    void aRenditionBelowMinQualityFailsItsInputWithTheFigure() {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/phone-vfr-12s.mp4"),
                "outputDir",
                Jobs.dir("it-ladder-gate"),
                "ladder",
                "240:h264:40:200k",
                "minQuality",
                55));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(input(job, "samples/phone-vfr-12s.mp4").getString("reason"))
                .matches(".*h264-240p: PSNR [0-9.]+ dB is below minQuality 55.00 dB.*");
    }

    @Test
    void aBadLadderIsRefusedWithTheReason() {
        var r = Api.as(Api.SUBMITTER)
                .post(
                        Api.appUrl() + "/api/v1/jobs",
                        Jobs.body(
                                "inputs", List.of("samples/phone-vfr.mp4"), "ladder", "720:h264:23:3M,360:vp8:30:1M"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("ladder", "unknown codec 'vp8'");
    }

    /** The playlists as text: the same ladder made anywhere must give the same bytes. */
    static Map<String, String> playlists(JsonObject job, String given) throws IOException {
        Path dir = Path.of(input(job, given).getJsonObject("ladder").getString("dir"));
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(
                            f -> f.toString().endsWith(".m3u8") || f.toString().endsWith(".mpd"))
                    .toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return out;
    }

    static JsonObject input(JsonObject job, String given) {
        return job.getJsonArray("inputs").stream()
                .map(JsonValue::asJsonObject)
                .filter(i -> i.getString("given").equals(given))
                .findFirst()
                .orElseThrow();
    }

    static List<JsonObject> renditions(JsonObject ladder) {
        return ladder.getJsonArray("renditions").stream()
                .map(JsonValue::asJsonObject)
                .toList();
    }

    static List<String> ids(JsonObject ladder) {
        return renditions(ladder).stream().map(r -> r.getString("id")).toList();
    }

    /** A rendition's init segment and media segments back to back: one fragmented MP4 that ffprobe reads. */
    static Path rendition(Path dir, int rung) throws IOException {
        Path whole = Files.createTempFile(Path.of("target"), "rendition-", ".mp4");
        try (OutputStream out = Files.newOutputStream(whole)) {
            Files.copy(dir.resolve("init-" + rung + ".m4s"), out);
            for (int n = 1; Files.exists(dir.resolve(String.format("seg-%d-%05d.m4s", rung, n))); n++) {
                Files.copy(dir.resolve(String.format("seg-%d-%05d.m4s", rung, n)), out);
            }
        }
        return whole;
    }

    static String keyframeTimes(Path video) throws Exception {
        return Samples.ffprobeOutput(
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-skip_frame",
                        "nokey",
                        "-show_entries",
                        "frame=pts_time",
                        "-of",
                        "csv=p=0",
                        video.toString())
                .lines()
                .map(l -> l.replace(",", "").strip())
                .filter(l -> !l.isEmpty())
                .distinct() // a frame with side data is listed twice
                .collect(Collectors.joining(" "));
    }
}
