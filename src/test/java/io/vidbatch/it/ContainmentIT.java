package io.vidbatch.it;

import io.vidbatch.media.Samples;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile files and hostile users stay inside their own input and job: a file that points
 * ffmpeg at another file, a link swapped in after planning, a file with thousands of
 * keyframes, a picture too large to decode, two users after the same output name, a submitter
 * over its limits. Each test asserts what the user sees (the reason, the job completing for
 * its other inputs) and that nothing outside was read or replaced; the coordinator's /metrics
 * is sampled throughout, and its slowest answer recorded (docs/reliability.md).
 */
@MicroShedTest
class ContainmentIT {

    private static final String DIR = Jobs.dir("containment");
    private static final String GOOD = "samples/screen-480p-noaudio.mp4";
    /** A file outside every input root: what a hostile file would like ffmpeg to read. */
    private static Path outside;

    private static Sampler sampler;

    @BeforeAll
    static void files() throws Exception {
        sampler = Sampler.start();
        Path dir = Files.createDirectories(Jobs.inputs().resolve(DIR));
        outside = Files.createDirectories(Jobs.inputs().getParent().resolve(Jobs.dir("outside-the-roots")))
                .resolve("secret.ts");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=96x64:rate=25",
                "-frames:v",
                "50",
                "-c:v",
                "mpeg2video",
                outside.toString());
        Path inside = dir.resolve("inside.ts");
        Files.copy(outside, inside);
        String relative = dir.relativize(outside).toString();
        Files.writeString(dir.resolve("playlist-absolute.mp4"), hls(outside.toString()));
        Files.writeString(dir.resolve("playlist-relative.mp4"), hls(relative));
        Files.writeString(dir.resolve("concat-relative.mp4"), "ffconcat version 1.0\nfile inside.ts\n");
        Files.writeString(dir.resolve("concat-absolute.mp4"), "ffconcat version 1.0\nfile '" + outside + "'\n");
        // 11,000 keyframes in 210 KB: 6 h of 16x16 at one picture every 2 s, every picture a keyframe.
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "color=c=gray:size=16x16:rate=0.5",
                "-t",
                "22000",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-g",
                "1",
                "-pix_fmt",
                "yuv420p",
                dir.resolve("keyframes.mp4").toString());
        // One 8192x8192 picture in 400 KB: decoding it takes far more memory than its size says.
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "color=c=blue:size=8192x8192",
                "-frames:v",
                "1",
                "-c:v",
                "mjpeg",
                "-q:v",
                "31",
                dir.resolve("huge.mov").toString());
    }

    @AfterAll
    static void slowestAnswer() throws Exception {
        Sampler.Peaks peaks = sampler.stop();
        Report.row(
                "containment",
                "the coordinator's /metrics, sampled four times a second through every test above",
                String.format("answered every time; slowest answer %.2f s", peaks.slowestSeconds()));
    }

    private static String hls(String entry) {
        return "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\n" + entry
                + "\n#EXT-X-ENDLIST\n";
    }

    @Test
    void filesThatPointAtOtherFilesAreRefusedAndNothingOfThemIsWritten() {
        List<String> hostile = List.of(
                DIR + "/playlist-absolute.mp4",
                DIR + "/playlist-relative.mp4",
                DIR + "/concat-relative.mp4",
                DIR + "/concat-absolute.mp4");
        String out = Jobs.dir("it-containment-pointers");
        long id = Jobs.submit(Jobs.body(
                "inputs", Stream.concat(hostile.stream(), Stream.of(GOOD)).toList(), "outputDir", out));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(2));

        assertThat(job.getString("status")).isEqualTo("COMPLETED");
        assertThat(job.getString("outcome")).isEqualTo("PARTIAL");
        Map<String, JsonObject> inputs = byGiven(job);
        assertThat(inputs.get(GOOD).getString("state")).isEqualTo("DONE");
        for (String h : hostile) {
            JsonObject in = inputs.get(h);
            assertThat(in.getString("state")).as(h).isEqualTo("REJECTED");
            String kind = h.contains("playlist") ? "an HLS playlist (hls)" : "an ffmpeg concat script (concat)";
            assertThat(in.getString("reason"))
                    .as(h)
                    .isEqualTo(kind
                            + ": not a video container vidbatch reads; files that point at other files are refused");
            Report.row(
                    "containment",
                    "`" + h.substring(h.lastIndexOf('/') + 1) + "`: "
                            + (h.contains("playlist") ? "an HLS playlist" : "an ffconcat script") + " naming "
                            + (h.contains("absolute")
                                    ? "a file outside the input roots by its absolute path"
                                    : h.contains("playlist")
                                            ? "a file outside the input roots by a ../ path"
                                            : "another file beside it"),
                    "REJECTED: " + in.getString("reason") + "; nothing written for it, the job's good input DONE");
        }
        // Only the good input's output was written: nothing was made from the file outside.
        assertThat(fileNames(Jobs.outputs().resolve(out))).containsExactly("screen-480p-noaudio-h264-720p.mp4");
    }

    @Test
    void aPathologicalGlobIsTurnedAwayAndABoundedOneCannotHangPlanning() {
        String nasty = "**".repeat(30) + "Z";
        // At the bound: with the JDK's matcher 16 ** against one long name had not ended after 30 s.
        String bounded = "**".repeat(16) + "Z";
        long id = Jobs.submit(
                Jobs.body("inputs", List.of(nasty, bounded, GOOD), "outputDir", Jobs.dir("it-containment-glob")));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(2));
        Map<String, JsonObject> inputs = byGiven(job);
        assertThat(inputs.get(nasty).getString("reason"))
                .isEqualTo("glob with more than 16 wildcards (each *, **, ? and [...] counts)");
        assertThat(inputs.get(bounded).getString("reason")).isEqualTo("no files match");
        assertThat(inputs.get(GOOD).getString("state")).isEqualTo("DONE");
        assertThat(job.getString("outcome")).isEqualTo("PARTIAL");
        Report.row(
                "containment",
                "globs `**` x 30 + `Z` and `**` x 16 + `Z` over the whole input root",
                "REJECTED: " + inputs.get(nasty).getString("reason") + "; the bounded one: "
                        + inputs.get(bounded).getString("reason") + "; the job's good input DONE");
    }

    @Test
    void aLinkSwappedInAfterPlanningIsNotFollowed() throws Exception {
        Path late = Files.createDirectories(Jobs.inputs().resolve(DIR).resolve("swap"))
                .resolve("late.mp4");
        Files.copy(Jobs.sample("screen-480p-noaudio.mp4"), late);
        String out = Jobs.dir("it-containment-swap");
        // One worker: the long input is encoded first, and the link is swapped in meanwhile.
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/long-720p-30s.mp4", DIR + "/swap/late.mp4"),
                "workers",
                1,
                "outputDir",
                out));
        Jobs.waitFor(
                id,
                Duration.ofMinutes(2),
                j -> {
                    List<JsonObject> items = j.getJsonArray("items").getValuesAs(JsonObject.class);
                    return items.size() == 2
                            && started(items, 1)
                            && !started(items, 2)
                            && examined(byGiven(j).get(DIR + "/swap/late.mp4"));
                },
                "the first input encoding, the second examined and not started");
        Files.delete(late);
        Files.createSymbolicLink(late, outside);

        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        JsonObject swapped = byGiven(job).get(DIR + "/swap/late.mp4");
        // Examined already (while the first input encoded): the last check before ffmpeg opens it refuses it, unread.
        assertThat(swapped.getString("state")).isEqualTo("FAILED");
        assertThat(swapped.getString("reason"))
                .startsWith("changed since it was found: a link now leads elsewhere (")
                .endsWith("); it was not read");
        assertThat(job.getString("outcome")).isEqualTo("PARTIAL");
        assertThat(fileNames(Jobs.outputs().resolve(out))).containsExactly("long-720p-30s-h264-720p.mp4");
        Report.row(
                "containment",
                "an input replaced by a link to a file outside the roots after it was examined, before its encode",
                "FAILED: " + swapped.getString("reason").replace(outside.toString(), "…/secret.ts")
                        + "; no output for it");
    }

    @Test
    void aFileWithElevenThousandKeyframesIsCutIntoLongerSegmentsAndTheJobGoesOn() throws Exception {
        // A dry run plans and dispatches every piece without encoding: planning is where this file broke jobs.
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of(DIR + "/keyframes.mp4", GOOD),
                "segmentSeconds",
                2,
                "dryRun",
                true,
                "outputDir",
                Jobs.dir("it-containment-keyframes")));
        JsonObject job = Jobs.waitForEndByStatus(id, Duration.ofMinutes(5));
        assertThat(job.getString("status")).isEqualTo("COMPLETED");
        JsonObject crafted = byGiven(job).get(DIR + "/keyframes.mp4");
        assertThat(crafted.getString("state")).isEqualTo("DONE");
        assertThat(crafted.getInt("segments")).isEqualTo(1000);
        assertThat(crafted.getString("note"))
                .isEqualTo(
                        "dry run: nothing encoded; segments of 22.0 s instead of 2.0 s: at most 1,000 segments per input");
        assertThat(byGiven(job).get(GOOD).getString("state")).isEqualTo("DONE");
        Report.row(
                "containment",
                "210 KB file with 11,000 keyframes (6 h at 0.5 fps), `segmentSeconds` 2",
                "planned in 1,000 pieces: " + crafted.getString("note").replace("dry run: nothing encoded; ", "")
                        + "; the job's other input went on");
    }

    @Test
    void aPictureTooLargeForAWorkerIsRefusedWithItsFigures() {
        String out = Jobs.dir("it-containment-huge");
        long id = Jobs.submit(Jobs.body("inputs", List.of(DIR + "/huge.mov", GOOD), "outputDir", out));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(2));
        JsonObject huge = byGiven(job).get(DIR + "/huge.mov");
        assertThat(huge.getString("state")).isEqualTo("REJECTED");
        assertThat(huge.getString("reason"))
                .isEqualTo("8192x8192 is 67.1 megapixels a picture; this server takes at most 35.4 (MAX_FRAME_PIXELS)");
        assertThat(job.getString("outcome")).isEqualTo("PARTIAL");
        assertThat(fileNames(Jobs.outputs().resolve(out))).containsExactly("screen-480p-noaudio-h264-720p.mp4");
        Report.row(
                "containment",
                "one 8192x8192 picture in a 400 KB file",
                "REJECTED before any decode: " + huge.getString("reason"));
    }

    @Test
    void twoUsersWritingTheSameNameNeverReplaceEachOther() throws Exception {
        String out = Jobs.dir("it-containment-names");
        String body = Jobs.body("inputs", List.of(GOOD), "outputDir", out);
        long first = Jobs.submit(body);
        Api.Reply r = Api.as("submitter2").post(Api.appUrl() + "/api/v1/jobs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        long second = r.json().getJsonNumber("id").longValue();
        String a = output(Jobs.waitForEnd(first, Duration.ofMinutes(2)));
        String b = output(Jobs.waitForEnd(second, Duration.ofMinutes(2)));
        assertThat(a).isNotEqualTo(b);
        assertThat(fileNames(Jobs.outputs().resolve(out)))
                .containsExactlyInAnyOrder("screen-480p-noaudio-h264-720p.mp4", "screen-480p-noaudio-2-h264-720p.mp4");
        String before = sha256(Path.of(a));

        // The same user again: the earlier jobs' files stay as they were; this one gets the next name.
        String c = output(Jobs.waitForEnd(Jobs.submit(body), Duration.ofMinutes(2)));
        assertThat(Path.of(c).getFileName()).hasToString("screen-480p-noaudio-3-h264-720p.mp4");
        assertThat(sha256(Path.of(a))).isEqualTo(before);
        Report.row(
                "containment",
                "two users, then one of them again, converting the same file into the same `outputDir`",
                "three outputs, `…-h264-720p.mp4`, `…-2-h264-720p.mp4`, `…-3-h264-720p.mp4`; none replaced (checked by SHA-256)");
    }

    @Test
    void aSubmitterOverItsWorkerLimitGets429() {
        Api submitter2 = Api.as("submitter2");
        Api.Reply first = submitter2.post(
                Api.appUrl() + "/api/v1/jobs",
                Jobs.body(
                        "inputs",
                        List.of("samples/long-720p-30s.mp4"),
                        "workers",
                        40,
                        "outputDir",
                        Jobs.dir("it-containment-limit")));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        long id = first.json().getJsonNumber("id").longValue();
        try {
            Api.Reply second = submitter2.post(
                    Api.appUrl() + "/api/v1/jobs",
                    Jobs.body("inputs", List.of(GOOD), "workers", 30, "outputDir", Jobs.dir("it-containment-limit")));
            assertThat(second.status()).as(second.body()).isEqualTo(429);
            assertThat(second.json().getString("error"))
                    .isEqualTo(
                            "your running jobs use 40 workers and this one asks for 30; at most 64 may run at once (WORKERS_PER_SUBMITTER)");
            assertThat(second.header("Retry-After")).isEqualTo("60");
            // Another submitter is not held back by it.
            long other = Jobs.submit(Jobs.body(
                    "inputs", List.of(GOOD), "workers", 30, "outputDir", Jobs.dir("it-containment-limit-other")));
            Jobs.waitForEnd(other, Duration.ofMinutes(2));
            Report.row(
                    "containment",
                    "a submitter with 40 workers running asks for 30 more (limit 64)",
                    "429: " + second.json().getString("error") + "; another submitter's job starts");
        } finally {
            Api.Reply stop = submitter2.post(Api.appUrl() + "/api/v1/jobs/" + id + "/stop", "");
            assertThat(stop.status()).as(stop.body()).isIn(202, 409);
            Jobs.waitForEnd(id, Duration.ofMinutes(2));
        }
    }

    private static boolean started(List<JsonObject> items, int input) {
        return items.stream()
                .anyMatch(i -> i.getInt("input") == input && i.containsKey("startedAt") && !i.isNull("startedAt"));
    }

    /** Its source's details are shown once it is examined. */
    private static boolean examined(JsonObject input) {
        return input.containsKey("probe") && !input.isNull("probe");
    }

    private static Map<String, JsonObject> byGiven(JsonObject job) {
        return job.getJsonArray("inputs").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(i -> i.getString("given"), i -> i, (x, y) -> x));
    }

    private static String output(JsonObject job) {
        JsonObject in = job.getJsonArray("inputs").getJsonObject(0);
        return in.containsKey("output") && !in.isNull("output")
                ? in.getJsonObject("output").getString("path")
                : null;
    }

    private static List<String> fileNames(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
