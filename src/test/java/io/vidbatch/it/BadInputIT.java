package io.vidbatch.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a clear error and loses nothing: parameter mistakes are refused before a job
 * starts; bad files are reported one by one while the good ones are transcoded; nothing
 * half-written is left behind.
 */
@MicroShedTest
class BadInputIT {

    static Path bad;

    @BeforeAll
    static void makeBadFiles() throws IOException {
        bad = Files.createDirectories(Jobs.inputs().resolve("bad"));
        Path corrupt = bad.resolve("corrupt.mp4");
        Files.copy(Jobs.sample("talk-720p-23976.mp4"), corrupt, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(corrupt.toFile(), "rw")) {
            byte[] junk = new byte[200_000];
            new Random(7).nextBytes(junk);
            f.seek(f.length() / 3);
            f.write(junk);
        }
        Files.write(bad.resolve("empty.mp4"), new byte[0]);
        Files.writeString(bad.resolve("notes.mp4"), "Meeting notes, not a video.\n");
        Files.createDirectories(Jobs.outputs());
        Files.writeString(Jobs.inputs().getParent().resolve("outside.mp4"), "outside the input root");
        Files.copy(
                Jobs.sample("screen-480p-noaudio.mp4"),
                bad.resolve("good, with a comma.mp4"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, String> fieldErrors(Api.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().getJsonArray("errors").stream()
                .map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(
                        e -> e.getString("field"), e -> e.getString("message"), (a, b) -> a + " | " + b, TreeMap::new));
    }

    private static int jobCount() {
        return Api.as(Api.ADMIN)
                .get(Api.appUrl() + "/api/v1/jobs?limit=1000")
                .array()
                .size();
    }

    @Test
    void parameterMistakesAreRefusedBeforeAnyJobStarts() {
        int before = jobCount();
        Map<String, String> errors = fieldErrors(Api.as(Api.SUBMITTER)
                .post(
                        Api.appUrl() + "/api/v1/jobs",
                        Jobs.body(
                                "inputs",
                                List.of("samples/city-1080p.mp4", "../outside.mp4"),
                                "preset",
                                "h266-8k",
                                "operations",
                                "scale(height=720); sharpen",
                                "segmentSeconds",
                                -6,
                                "workers",
                                0,
                                "outputDir",
                                "../../etc")));
        assertThat(errors).containsOnlyKeys("inputs", "preset", "operations", "segmentSeconds", "workers", "outputDir");
        assertThat(errors.get("inputs")).isEqualTo("'../outside.mp4' is outside the allowed input roots");
        assertThat(errors.get("preset"))
                .startsWith("unknown preset 'h266-8k' (known: h264-1080p, h264-720p, h264-480p");
        assertThat(errors.get("operations")).startsWith("unknown operation 'sharpen' (known: scale, fps");
        assertThat(errors.get("segmentSeconds"))
                .isEqualTo("'-6' must be 0 (whole files) or between 2 and 3600 seconds");
        assertThat(errors.get("workers")).startsWith("'0' must be between 1 and");
        assertThat(errors.get("outputDir")).isEqualTo("'../../etc' is outside the output root");
        assertThat(jobCount()).as("jobs started").isEqualTo(before);
    }

    @Test
    void malformedRequestsAreRefused() {
        Api submitter = Api.as(Api.SUBMITTER);
        assertThat(submitter
                        .post(Api.appUrl() + "/api/v1/jobs", "{\"inputs\": [")
                        .status())
                .isEqualTo(400);
        assertThat(fieldErrors(submitter.post(Api.appUrl() + "/api/v1/jobs", "{\"inputs\":\"a.mp4\",\"wrokers\":2}")))
                .containsEntry(
                        "wrokers",
                        "unknown field (known: audio, dryRun, groupSize, inputs, ladder, launcher, minQuality, notify, operations, outputDir, preset, quality, segmentSeconds, workers)");
        assertThat(fieldErrors(
                        submitter.post(Api.appUrl() + "/api/v1/jobs", "{\"inputs\":\"a.mp4\",\"launcher\":\"mesos\"}")))
                .containsEntry("launcher", "'mesos' is not available (available: local, process, kubernetes)");
        assertThat(fieldErrors(submitter.post(Api.appUrl() + "/api/v1/jobs", "{}")))
                .containsEntry("inputs", "at least one file, folder or glob is required");
    }

    @Test
    void badFilesAreReportedAndTheGoodOnesStillTranscoded() {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of(
                        "samples/screen-480p-noaudio.mp4",
                        "bad/corrupt.mp4",
                        "bad/empty.mp4",
                        "bad/notes.mp4",
                        "bad/missing.mp4",
                        "samples/portrait-rotated.mp4"),
                "outputDir",
                Jobs.dir("it-bad")));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(2));
        assertThat(job.getString("status")).isEqualTo("COMPLETED");
        assertThat(job.getString("exitStatus")).isEqualTo("PARTIAL: 2 of 6 inputs done, 1 failed, 3 rejected");

        Map<String, String> outcome = new TreeMap<>();
        for (JsonValue v : job.getJsonArray("inputs")) {
            JsonObject in = v.asJsonObject();
            outcome.put(
                    in.getString("given"),
                    in.getString("state") + (in.containsKey("reason") ? ": " + in.getString("reason") : ""));
        }
        assertThat(outcome.get("samples/screen-480p-noaudio.mp4")).isEqualTo("DONE");
        assertThat(outcome.get("samples/portrait-rotated.mp4")).isEqualTo("DONE");
        assertThat(outcome.get("bad/corrupt.mp4")).startsWith("FAILED: decoding errors:");
        assertThat(outcome.get("bad/empty.mp4")).isEqualTo("REJECTED: empty file (0 bytes)");
        assertThat(outcome.get("bad/notes.mp4"))
                .startsWith("REJECTED: not a readable media file:")
                .contains("Invalid data found");
        assertThat(outcome.get("bad/missing.mp4")).isEqualTo("REJECTED: not found");

        // Only the good outputs and the report: no output for a bad input, no temporary file.
        assertThat(StopRestartIT.files(Jobs.outputs().resolve(Jobs.dir("it-bad"))))
                .containsExactlyInAnyOrder(
                        "screen-480p-noaudio-h264-720p.mp4",
                        "portrait-rotated-h264-720p.mp4",
                        "vidbatch-report-" + id + ".json");
        // The failed item's reason and ffmpeg's own lines are in the job log.
        String log = Api.as(Api.ADMIN)
                .get(Api.batchUrl() + "/jobinstances/" + id + "/joblogs?type=text")
                .body();
        assertThat(log).contains("failed: decoding errors:").contains("ffmpeg: [error]");
    }

    /**
     * A partition examines the input it takes next while it encodes: a bad file is reported while
     * the one before it is still encoding (its ffmpeg held still, so it cannot finish first).
     */
    @Test
    void aBadInputIsReportedWhileTheInputBeforeItEncodes() throws Exception {
        String dir = Jobs.dir("it-ahead");
        long id = Jobs.submit(Jobs.body(
                "inputs", List.of("samples/long-720p-30s.mp4", "bad/notes.mp4"), "outputDir", dir, "workers", 1));
        ProcessHandle ffmpeg = Waits.await("the first input's ffmpeg", Duration.ofMinutes(1), Duration.ofMillis(50))
                .until(
                        () -> {
                            List<ProcessHandle> found = StopRestartIT.ffmpegFor(dir);
                            for (ProcessHandle p : found) {
                                ItServer.signal("STOP", p);
                            }
                            return found.stream().findFirst();
                        },
                        java.util.Optional::isPresent)
                .orElseThrow();
        try {
            JsonObject seen = Jobs.waitFor(
                    id,
                    Duration.ofMinutes(1),
                    j -> state(j, "bad/notes.mp4").startsWith("REJECTED"),
                    "bad/notes.mp4 rejected");
            assertThat(state(seen, "samples/long-720p-30s.mp4")).doesNotStartWith("DONE");
            assertThat(ffmpeg.isAlive()).as("the first input still encoding").isTrue();
        } finally {
            ItServer.signal("CONT", ffmpeg);
        }
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(2));
        assertThat(job.getString("exitStatus")).isEqualTo("PARTIAL: 1 of 2 inputs done, 0 failed, 1 rejected");
    }

    private static String state(JsonObject job, String given) {
        for (JsonValue v : job.getJsonArray("inputs")) {
            JsonObject in = v.asJsonObject();
            if (in.getString("given").equals(given)) {
                return in.getString("state") + (in.containsKey("reason") ? ": " + in.getString("reason") : "");
            }
        }
        throw new AssertionError(given + " is not among the job's inputs: " + job);
    }

    @Test
    void aNameWithACommaIsOneInput() {
        long id = Jobs.submit(
                Jobs.body("inputs", List.of("bad/good, with a comma.mp4"), "outputDir", Jobs.dir("it-comma")));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(1));
        assertThat(job.getString("exitStatus")).isEqualTo("ALL DONE: 1 of 1 inputs done, 0 failed, 0 rejected");
        assertThat(Jobs.outputs().resolve(Jobs.dir("it-comma")).resolve("good, with a comma-h264-720p.mp4"))
                .isRegularFile();
    }

    @Test
    void aJobWhosePlanFailedCompletesWhenRestartedThroughOurApi() throws IOException {
        // The output folder's name is taken by a file: planning fails, saying so.
        Path blocker = Jobs.outputs().resolve(Jobs.dir("it-blocked"));
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "in the way");
        long id = Jobs.submit(
                Jobs.body("inputs", List.of("samples/screen-480p-noaudio.mp4"), "outputDir", Jobs.dir("it-blocked")));
        JsonObject failed = Jobs.waitForEnd(id, Duration.ofMinutes(1));
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        assertThat(failed.getString("exitStatus")).startsWith("cannot create the output folder");
        Files.delete(blocker);
        // Restarting plans again, with the job's original parameters.
        Jobs.on(Api.Server.main()).control(id, "restart");
        JsonObject done = Jobs.waitFor(
                id,
                Duration.ofMinutes(1),
                j -> j.getJsonArray("executions").size() == 2 && Jobs.ENDED.contains(j.getString("status")),
                "second execution ended");
        assertThat(done.getString("exitStatus")).isEqualTo("ALL DONE: 1 of 1 inputs done, 0 failed, 0 rejected");
    }

    @Test
    void libertyApiSubmissionsAreCheckedByThePlanStep() {
        // Liberty's API cannot refuse our parameters up front: the job fails at once, saying why.
        String params = Json.createObjectBuilder()
                .add("inputs", "samples/city-1080p.mp4")
                .add("preset", "h266-8k")
                .add("workers", "0")
                .build()
                .toString();
        Api.Reply r = Api.as(Api.SUBMITTER)
                .post(
                        Api.batchUrl() + "/jobinstances",
                        "{\"applicationName\":\"vidbatch\",\"jobXMLName\":\"transcode\",\"jobParameters\":" + params
                                + "}");
        assertThat(r.status()).isEqualTo(201);
        JsonObject job = Jobs.waitForEnd(r.json().getJsonNumber("instanceId").longValue(), Duration.ofMinutes(1));
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("exitStatus"))
                .startsWith("invalid parameters: preset: unknown preset 'h266-8k'")
                .contains("workers: '0' must be between 1 and");
        // A failed plan ends the job there: nothing goes on to transcode nothing and call it done.
        long execution = job.getJsonArray("executions")
                .getJsonObject(0)
                .getJsonNumber("id")
                .longValue();
        Api.Reply steps = Api.as(Api.ADMIN).get(Api.batchUrl() + "/jobexecutions/" + execution + "/stepexecutions");
        assertThat(steps.array().getValuesAs(JsonObject.class).stream()
                        .filter(s -> s.containsKey("stepName"))) // the last is _links
                .as(steps.body())
                .extracting(s -> s.getString("stepName"))
                .containsExactly("plan");

        // A path outside the input roots is rejected as an input; the rest of the job goes on.
        params = Json.createObjectBuilder()
                .add("inputs", "../outside.mp4,samples/screen-480p-noaudio.mp4")
                .add("outputDir", Jobs.dir("it-bad-liberty"))
                .build()
                .toString();
        r = Api.as(Api.SUBMITTER)
                .post(
                        Api.batchUrl() + "/jobinstances",
                        "{\"applicationName\":\"vidbatch\",\"jobXMLName\":\"transcode\",\"jobParameters\":" + params
                                + "}");
        long id = r.json().getJsonNumber("instanceId").longValue();
        job = Jobs.waitForEnd(id, Duration.ofMinutes(1));
        assertThat(job.getString("exitStatus")).isEqualTo("PARTIAL: 1 of 2 inputs done, 0 failed, 1 rejected");
        JsonObject rejected = job.getJsonArray("inputs").getJsonObject(0);
        assertThat(rejected.getString("reason")).isEqualTo("outside the allowed input roots");
    }
}
