package io.vidbatch.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.DoubleAccumulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * What an operator's Prometheus sees on Liberty's /metrics while jobs run: the counters move by
 * exactly what the job did, the gauges show work in flight and fall back to zero, and nobody
 * without a Liberty role reads any of it.
 */
@MicroShedTest
class MetricsIT {

    static final String DONE = "vidbatch_items_done_total";
    static final String FAILED = "vidbatch_items_failed_total";
    static final String RETRIED = "vidbatch_items_retried_total";
    static final String FRAMES = "vidbatch_frames_encoded_total";
    static final String ENCODE_SECONDS = "vidbatch_encode_seconds_sum";
    static final String ACTIVE = "vidbatch_workers_active";
    static final String PENDING = "vidbatch_items_pending";
    static final String FPS = "vidbatch_encode_frames_per_second";

    /** Our own input folder: a worker we kill is found by this name, never another build's. */
    static final String DIR = Jobs.dir("metrics");

    @BeforeAll
    static void makeInputs() throws IOException {
        Path dir = Files.createDirectories(Jobs.inputs().resolve(DIR));
        Path corrupt = dir.resolve("corrupt.mp4");
        Files.copy(Jobs.sample("talk-720p-23976.mp4"), corrupt, StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(corrupt.toFile(), "rw")) {
            byte[] junk = new byte[200_000];
            new Random(7).nextBytes(junk);
            f.seek(f.length() / 3);
            f.write(junk);
        }
        Files.copy(
                Jobs.sample("long-720p-30s.mp4"), dir.resolve("lost-worker.mp4"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void onlyUsersWithALibertyRoleReadMetricsAndOnlyOverHttps() {
        String https = Scrape.url();
        assertThat(Api.anonymous().get(https).status()).as("anonymous").isEqualTo(401);
        // Plain HTTP answers nothing but a redirect to HTTPS, with or without credentials.
        String http = "http://localhost:" + System.getProperty("microshed_http_port") + "/metrics?scope=application";
        for (Api caller : List.of(Api.anonymous(), Api.as(Api.MONITOR))) {
            Api.Reply r = caller.get(http);
            assertThat(r.status()).as("GET " + http).isEqualTo(302);
            assertThat(r.body()).doesNotContain("vidbatch_");
        }
        // Monitors are Liberty readers and admins administrators; a submitter is neither.
        for (String user : List.of(Api.MONITOR, Api.ADMIN)) {
            assertThat(Scrape.as(user).get(DONE, "local"))
                    .as(user)
                    .isGreaterThanOrEqualTo(0); // Scrape.as asserts the 200
        }
        assertThat(Api.as(Api.SUBMITTER).get(https).status()).as("submitter").isEqualTo(403);
    }

    @Test
    void countersMoveByWhatALocalJobDidAndGaugesShowItWhileItRuns() {
        Scrape before = Scrape.as(Api.MONITOR);
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of(
                        "samples/city-1080p.mp4",
                        "samples/screen-480p-noaudio.mp4",
                        "samples/portrait-rotated.mp4",
                        DIR + "/corrupt.mp4"),
                "outputDir",
                Jobs.dir("it-metrics"),
                "workers",
                2,
                "launcher",
                "local"));

        // Scrape as Prometheus would, faster: the 1080p clip alone keeps a worker busy for seconds.
        DoubleAccumulator maxActive = new DoubleAccumulator(Math::max, 0);
        DoubleAccumulator maxPending = new DoubleAccumulator(Math::max, 0);
        DoubleAccumulator maxFps = new DoubleAccumulator(Math::max, 0);
        Waits.await(
                        "job " + id + " ended, scraping /metrics every 200 ms meanwhile",
                        Duration.ofMinutes(3),
                        Duration.ofMillis(200))
                .until(() -> {
                    if (Jobs.ENDED.contains(Jobs.get(id).getString("status"))) {
                        return true;
                    }
                    Scrape now = Scrape.as(Api.MONITOR);
                    maxActive.accumulate(now.get(ACTIVE, "local"));
                    maxPending.accumulate(now.get(PENDING, "local"));
                    maxFps.accumulate(now.get(FPS, "local"));
                    return false;
                });
        JsonObject job = Jobs.waitForEnd(id, Duration.ofSeconds(10));
        assertThat(job.getString("exitStatus")).isEqualTo("PARTIAL: 3 of 4 inputs done, 1 failed, 0 rejected");
        assertThat(maxActive.get()).as("workers seen active while the job ran").isPositive();
        assertThat(maxPending.get())
                .as("items seen pending while the job ran (2 workers, 4 items)")
                .isPositive();
        assertThat(maxFps.get()).as("live encode speed seen while the job ran").isPositive();

        Scrape after = Scrape.as(Api.MONITOR);
        List<JsonObject> items =
                job.getJsonArray("items").stream().map(JsonValue::asJsonObject).toList();
        long done =
                items.stream().filter(i -> i.getString("state").equals("DONE")).count();
        long failed = items.stream()
                .filter(i -> i.getString("state").equals("FAILED"))
                .count();
        assertThat(done).isEqualTo(3);
        assertThat(after.get(DONE, "local") - before.get(DONE, "local"))
                .as("done")
                .isEqualTo(done);
        assertThat(after.get(FAILED, "local") - before.get(FAILED, "local"))
                .as("failed")
                .isEqualTo(failed);
        assertThat(after.get(RETRIED, "local") - before.get(RETRIED, "local"))
                .as("retried")
                .isZero();

        // Frames and encode time move by what the job's outputs report, so fps can be computed from them.
        long frames = 0;
        double encodeSeconds = 0;
        for (JsonValue v : job.getJsonArray("inputs")) {
            JsonObject output = v.asJsonObject().getJsonObject("output");
            if (output != null) {
                frames += output.getJsonNumber("frames").longValue();
                encodeSeconds += output.getJsonNumber("encodeSeconds").doubleValue();
            }
        }
        assertThat(frames).isPositive();
        assertThat(after.get(FRAMES, "local") - before.get(FRAMES, "local"))
                .as("frames")
                .isEqualTo(frames);
        assertThat(after.get(ENCODE_SECONDS, "local") - before.get(ENCODE_SECONDS, "local"))
                .as("encode seconds")
                .isCloseTo(encodeSeconds, offset(0.01));

        // Nothing is left in flight once the job has ended.
        assertThat(after.get(ACTIVE, "local"))
                .as("active workers after the job")
                .isZero();
        assertThat(after.get(PENDING, "local"))
                .as("pending items after the job")
                .isZero();
        assertThat(after.get(FPS, "local")).as("live fps after the job").isZero();
        // Another launcher's series are not touched by a local job.
        assertThat(after.get(DONE, "process")).isEqualTo(before.get(DONE, "process"));
    }

    @Test
    void aKilledWorkerProcessCountsItsItemAsRetried() {
        Scrape before = Scrape.as(Api.MONITOR);
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of(DIR + "/lost-worker.mp4"),
                "outputDir",
                Jobs.dir("it-metrics-lost"),
                "launcher",
                "process",
                "workers",
                1));
        ProcessHandle worker = LaunchersIT.awaitWorkerOf(Jobs.dir("it-metrics-lost"), Duration.ofMinutes(1));
        worker.destroyForcibly();
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        assertThat(job.getString("exitStatus")).isEqualTo("ALL DONE: 1 of 1 inputs done, 0 failed, 0 rejected");

        Scrape after = Scrape.as(Api.MONITOR);
        assertThat(after.get(RETRIED, "process") - before.get(RETRIED, "process"))
                .as("retried")
                .isEqualTo(1);
        assertThat(after.get(DONE, "process") - before.get(DONE, "process"))
                .as("done")
                .isEqualTo(1);
        assertThat(after.get(FAILED, "process") - before.get(FAILED, "process"))
                .as("failed")
                .isZero();
        assertThat(after.get(ACTIVE, "process"))
                .as("active workers after the job")
                .isZero();
        assertThat(after.get(PENDING, "process"))
                .as("pending items after the job")
                .isZero();
    }
}
