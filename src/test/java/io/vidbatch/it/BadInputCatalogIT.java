package io.vidbatch.it;

import io.vidbatch.media.Samples;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalogue of awkward inputs, each with the exact answer a user gets; every case is also a
 * row of docs/reliability.md. (BadInputIT has the first cases: corrupt, empty, non-video and
 * missing files, parameter mistakes, a comma in a name.)
 */
@MicroShedTest
class BadInputCatalogIT {

    private static final String DIR = "catalog";
    /** Names a shell, a CSV splitter or ffmpeg's option parser would get wrong. */
    private static final List<String> AWKWARD = List.of(
            "with space.mp4", "quote's \"double\".mp4", "new\nline.mp4", "ünïcødé 日本語.mp4", "-y.mp4", "--help.mp4");

    @BeforeAll
    static void makeFiles() throws Exception {
        Path dir = Files.createDirectories(Jobs.inputs().resolve(DIR));
        for (String name : AWKWARD) {
            Files.copy(Jobs.sample("screen-480p-noaudio.mp4"), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        byte[] whole = Files.readAllBytes(Jobs.sample("talk-720p-23976.mp4"));
        Files.write(dir.resolve("truncated.mp4"), java.util.Arrays.copyOf(whole, whole.length * 2 / 5));
        Path audio = dir.resolve("audio-only.m4a");
        Samples.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", audio.toString());
        headerLies(dir);
        Path outside =
                Files.writeString(Jobs.inputs().getParent().resolve("secret-outside.mp4"), "outside the input root");
        Files.deleteIfExists(dir.resolve("escape.mp4"));
        Files.createSymbolicLink(dir.resolve("escape.mp4"), outside);
    }

    @Test
    void awkwardNamesAreTranscodedAndBadFilesRejectedEachWithItsReason() {
        List<String> inputs = new java.util.ArrayList<>(
                AWKWARD.stream().map(n -> DIR + "/" + n).toList());
        inputs.addAll(List.of(DIR + "/truncated.mp4", DIR + "/audio-only.m4a", DIR + "/escape.mp4"));
        String out = Jobs.dir("it-catalog");
        long id = Jobs.submit(Jobs.body("inputs", inputs, "outputDir", out));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));

        Map<String, String> outcome = new TreeMap<>();
        for (JsonValue v : job.getJsonArray("inputs")) {
            JsonObject in = v.asJsonObject();
            outcome.put(
                    in.getString("given"),
                    in.getString("state") + (in.containsKey("reason") ? ": " + in.getString("reason") : ""));
        }
        for (String name : AWKWARD) {
            assertThat(outcome.get(DIR + "/" + name)).as(name).isEqualTo("DONE");
            String output = name.substring(0, name.length() - 4) + "-h264-720p.mp4";
            assertThat(Jobs.outputs().resolve(out).resolve(output)).as(output).isRegularFile();
            Report.row(
                    "bad-input",
                    "file named `" + name.replace("\n", "\\n") + "`",
                    "transcoded to `" + output.replace("\n", "\\n") + "`");
        }
        assertThat(outcome.get(DIR + "/escape.mp4"))
                .isEqualTo("REJECTED: outside the allowed input roots (follows a link out)");
        Report.row("bad-input", "symlink in the input root pointing outside it", outcome.get(DIR + "/escape.mp4"));
        assertThat(outcome.get(DIR + "/audio-only.m4a")).isEqualTo("REJECTED: no video stream");
        Report.row("bad-input", "audio-only file (no video stream)", outcome.get(DIR + "/audio-only.m4a"));
        assertThat(outcome.get(DIR + "/truncated.mp4"))
                .isEqualTo(
                        "REJECTED: not a readable media file: moov atom not found; Invalid data found when processing input");
        Report.row("bad-input", "truncated MP4 (first 40 % of a file)", outcome.get(DIR + "/truncated.mp4"));
        assertThat(job.getString("exitStatus")).isEqualTo("PARTIAL: 6 of 9 inputs done, 0 failed, 3 rejected");
        Report.row(
                "bad-input",
                "all of the above in one job",
                job.getString("status") + ", " + job.getString("exitStatus"));
    }

    /**
     * Files whose headers claim what no camera makes: a picture of 100,000 x 100,000, a strip of
     * 10,000 x 16, and an MP4 whose movie and track headers say 49 days while it holds 1 s.
     */
    private static void headerLies(Path dir) throws Exception {
        Files.write(dir.resolve("absurd-size.y4m"), y4m(100_000, 100_000, 0));
        Files.write(dir.resolve("strip.y4m"), y4m(10_000, 16, 3));
        Path oneSecond = dir.resolve("forty-nine-days.mp4");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x36:rate=10",
                "-t",
                "1",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                oneSecond.toString());
        byte[] mp4 = Files.readAllBytes(oneSecond);
        for (String box : List.of("mvhd", "mdhd")) {
            int at = new String(mp4, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(box);
            assertThat(at).as(box).isPositive();
            assertThat(mp4[at + 4]).as(box + " version 0 (32-bit times)").isZero();
            // version+flags, creation and modification times, timescale: then the duration, in timescale units
            java.nio.ByteBuffer.wrap(mp4).putInt(at + 4 + 4 + 8 + 4, 0xFFFF_FFF0);
        }
        Files.write(oneSecond, mp4);
    }

    /** A YUV4MPEG2 stream: a text header any tool believes, then raw 4:2:0 frames. */
    private static byte[] y4m(int width, int height, int frames) {
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("YUV4MPEG2 W" + width + " H" + height + " F10:1 Ip A1:1 C420jpeg\n").getBytes());
        for (int i = 0; i < frames; i++) {
            out.writeBytes("FRAME\n".getBytes());
            byte[] picture = new byte[width * height * 3 / 2];
            java.util.Arrays.fill(picture, (byte) (16 + 60 * i));
            out.writeBytes(picture);
        }
        return out.toByteArray();
    }

    @Test
    void headersThatLieAreJudgedByWhatTheFileHolds() {
        List<String> names = List.of("absurd-size.y4m", "strip.y4m", "forty-nine-days.mp4");
        String out = Jobs.dir("it-catalog-headers");
        long id = Jobs.submit(
                Jobs.body("inputs", names.stream().map(n -> DIR + "/" + n).toList(), "outputDir", out));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        Map<String, String> outcome = new TreeMap<>();
        for (JsonValue v : job.getJsonArray("inputs")) {
            JsonObject in = v.asJsonObject();
            outcome.put(
                    in.getString("given"),
                    in.getString("state") + (in.containsKey("reason") ? ": " + in.getString("reason") : ""));
        }
        assertThat(outcome.get(DIR + "/absurd-size.y4m"))
                .isEqualTo(
                        "REJECTED: not a readable media file: Picture size 100000x100000 is invalid; Device or resource busy");
        Report.row("bad-input", "header claiming a 100000x100000 picture", outcome.get(DIR + "/absurd-size.y4m"));
        assertThat(outcome.get(DIR + "/strip.y4m"))
                .isEqualTo("REJECTED: picture 10000x16 is larger than vidbatch takes (at most 8192 pixels a side)");
        Report.row("bad-input", "10000x16 picture (would come out 1280x2)", outcome.get(DIR + "/strip.y4m"));

        // The 49 days are believed nowhere: not in the report, not in the output.
        assertThat(outcome.get(DIR + "/forty-nine-days.mp4")).isEqualTo("DONE");
        JsonObject lying = job.getJsonArray("inputs").stream()
                .map(JsonValue::asJsonObject)
                .filter(i -> i.getString("given").endsWith("forty-nine-days.mp4"))
                .findFirst()
                .orElseThrow();
        assertThat(lying.getJsonObject("probe").getJsonNumber("seconds").doubleValue())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        Probe p = Probe.of(Jobs.outputs().resolve(out).resolve("forty-nine-days-h264-720p.mp4"));
        assertThat(p.frames()).isEqualTo(10);
        assertThat(p.videoSeconds()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        Report.row(
                "bad-input",
                "MP4 whose movie and track headers say 49 days (it holds 1 s, 10 frames)",
                "DONE: the report says 1.0 s, the output has 10 frames and lasts 1.0 s");
        assertThat(job.getString("exitStatus")).isEqualTo("PARTIAL: 1 of 3 inputs done, 0 failed, 2 rejected");
    }

    @Test
    void pathTricksAndAbsurdParametersAreRefusedBeforeAnyJobStarts() {
        Api submitter = Api.as(Api.SUBMITTER);
        String url = Api.appUrl() + "/api/v1/jobs";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("`..` inside an input path", Jobs.body("inputs", List.of("samples/../../secret-outside.mp4")));
        cases.put("absolute input path outside the roots", Jobs.body("inputs", List.of("/etc/passwd")));
        cases.put("glob climbing out of the root", Jobs.body("inputs", List.of("../*")));
        cases.put(
                "`..` in outputDir", Jobs.body("inputs", List.of("samples/city-1080p.mp4"), "outputDir", "a/../../b"));
        cases.put("absolute outputDir", Jobs.body("inputs", List.of("samples/city-1080p.mp4"), "outputDir", "/tmp/x"));
        cases.put(
                "a billion workers", Jobs.body("inputs", List.of("samples/city-1080p.mp4"), "workers", 1_000_000_000));
        cases.put("negative group size", Jobs.body("inputs", List.of("samples/city-1080p.mp4"), "groupSize", -1));
        cases.put(
                "segment of a year",
                Jobs.body("inputs", List.of("samples/city-1080p.mp4"), "segmentSeconds", 31_536_000));
        cases.put("workers as text", "{\"inputs\": [\"samples/city-1080p.mp4\"], \"workers\": \"many\"}");
        cases.put(
                "absurd scale",
                Jobs.body("inputs", List.of("samples/city-1080p.mp4"), "operations", "scale(height=100000)"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Api.Reply r = submitter.post(url, c.getValue());
            assertThat(r.status()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            JsonObject e = r.json().getJsonArray("errors").getJsonObject(0);
            Report.row("bad-request", c.getKey(), "400 `" + e.getString("field") + "`: " + e.getString("message"));
        }
        Api.Reply malformed = submitter.post(url, "{\"inputs\": [\"a.mp4\"");
        assertThat(malformed.status()).isEqualTo(400);
        Report.row("bad-request", "malformed JSON", "400: " + malformed.json().getString("error"));
        Api.Reply huge = submitter.post(url, "{\"inputs\": [\"" + "a".repeat(3_000_000) + "\"]}");
        assertThat(huge.status()).isEqualTo(413);
        Report.row(
                "bad-request",
                "3 MB request body",
                huge.status() + ": " + huge.json().getString("error"));
    }
}
