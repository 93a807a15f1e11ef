package io.vidbatch.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** The job submitted through both REST APIs turns the samples into verified outputs. */
@MicroShedTest
class TranscodeIT {

    static final List<String> DEMO = List.of(
            "city-1080p.mp4",
            "talk-720p-23976.mp4",
            "screen-480p-noaudio.mp4",
            "phone-vfr.mp4",
            "portrait-rotated.mp4");

    @Test
    void ourApiTranscodesEverySampleIntoAVerifiedOutput() {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                DEMO.stream().map(n -> "samples/" + n).toList(),
                "outputDir",
                Jobs.dir("it-ours"),
                "workers",
                2,
                "operations",
                "thumbnail(at=50%)"));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        assertThat(job.getString("status")).isEqualTo("COMPLETED");
        assertThat(job.getString("exitStatus")).isEqualTo("ALL DONE: 5 of 5 inputs done, 0 failed, 0 rejected");

        for (JsonValue v : job.getJsonArray("inputs")) {
            JsonObject in = v.asJsonObject();
            Path source = Path.of(in.getString("source"));
            Path output = Path.of(in.getJsonObject("output").getString("path"));
            assertThat(output.getParent()).isEqualTo(Jobs.outputs().resolve(Jobs.dir("it-ours")));
            Probe src = Probe.of(source);
            Probe out = Probe.of(output);
            assertThat(out.videoCodec()).isEqualTo("h264");
            assertThat(out.frames()).as(source + " frames").isEqualTo(src.frames());
            assertThat(out.videoSeconds())
                    .as(source + " duration")
                    .isCloseTo(src.videoSeconds(), offset(1 / 30.0 + 0.002));
            assertThat(out.audio()).as(source + " audio").isEqualTo(src.audio());
            assertThat(out.height()).isLessThanOrEqualTo(720);
            assertThat(out.width()).isLessThanOrEqualTo(1280);
            // Aspect ratio kept, including the rotated portrait clip.
            assertThat((double) out.width() / out.height())
                    .isCloseTo((double) src.width() / src.height(), offset(0.02));
            String thumb = in.getJsonObject("output").getJsonArray("thumbnails").getString(0);
            assertThat(Path.of(thumb)).isRegularFile();
        }
        Path report = Jobs.outputs().resolve(Jobs.dir("it-ours")).resolve("vidbatch-report-" + id + ".json");
        assertThat(report).isRegularFile();
        JsonObject fromFile =
                Json.createReader(new java.io.StringReader(read(report))).readObject();
        assertThat(fromFile.getJsonObject("summary").getInt("done")).isEqualTo(5);
        Api.Reply viaApi = Api.as(Api.MONITOR).get(Api.appUrl() + "/api/v1/jobs/" + id + "/report");
        assertThat(viaApi.json().getJsonArray("inputs")).isEqualTo(fromFile.getJsonArray("inputs"));
        assertThat(viaApi.json()
                        .getJsonObject("summary")
                        .getJsonNumber("encodeFps")
                        .doubleValue())
                .isPositive();
    }

    @Test
    void libertyBatchApiRunsTheSameJob() {
        String params = Json.createObjectBuilder()
                .add("inputs", "samples/screen-480p-noaudio.mp4,samples/talk-720p-23976.mp4")
                .add("preset", "vp9-720p")
                .add("outputDir", Jobs.dir("it-liberty"))
                .build()
                .toString();
        String body =
                "{\"applicationName\":\"vidbatch\",\"jobXMLName\":\"transcode\",\"jobParameters\":" + params + "}";
        Api.Reply r = Api.as(Api.SUBMITTER).post(Api.batchUrl() + "/jobinstances", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        long id = r.json().getJsonNumber("instanceId").longValue();
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        assertThat(job.getString("exitStatus")).isEqualTo("ALL DONE: 2 of 2 inputs done, 0 failed, 0 rejected");

        Path out = Jobs.outputs().resolve(Jobs.dir("it-liberty")).resolve("talk-720p-23976-vp9-720p.webm");
        Probe p = Probe.of(out);
        Probe src = Probe.of(Jobs.sample("talk-720p-23976.mp4"));
        assertThat(p.videoCodec()).isEqualTo("vp9");
        assertThat(p.frames()).isEqualTo(src.frames());
        assertThat(p.audio()).isTrue();

        // Liberty's own view of the same job, and its job log with our lines in it.
        Api.Reply instance = Api.as(Api.MONITOR).get(Api.batchUrl() + "/jobinstances/" + id);
        assertThat(instance.json().getString("batchStatus")).isEqualTo("COMPLETED");
        Api.Reply log = Api.as(Api.ADMIN).get(Api.batchUrl() + "/jobinstances/" + id + "/joblogs?type=text");
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.body()).contains("plan: 2 inputs, 0 rejected, 2 work items, preset vp9-720p");
    }

    @Test
    void aScriptCanBlockUntilTheJobEnds() {
        long id = Jobs.submit(
                Jobs.body("inputs", List.of("samples/screen-480p-noaudio.mp4"), "outputDir", Jobs.dir("it-wait")));
        // One request, sent while the job is young, answers with its end: no polling loop. (That the
        // answer waits for the end, however fast the machine, is scriptsWaitingOnAJobHoldNoServerThread's:
        // requests sent while a job runs answer STOPPED once it is stopped.)
        Api.Reply r = Api.as(Api.MONITOR).get(Api.appUrl() + "/api/v1/jobs/" + id + "/status?wait=120");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().getString("status")).isEqualTo("COMPLETED");
        assertThat(r.json().getString("exitStatus")).startsWith("ALL DONE");
        assertThat(r.json().getString("outcome")).isEqualTo("ALL_DONE");
        assertThat(Api.as(Api.MONITOR)
                        .get(Api.appUrl() + "/api/v1/jobs/" + id + "/status?wait=99999")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void scriptsWaitingOnAJobHoldNoServerThread() throws Exception {
        long id = Jobs.submit(Jobs.body(
                "inputs", List.of("samples/slow-1080p-60s.mp4"), "outputDir", Jobs.dir("it-waiters"), "workers", 1));
        String status = Api.appUrl() + "/api/v1/jobs/" + id + "/status";
        int waiters = 40;
        ExecutorService scripts = Executors.newFixedThreadPool(waiters);
        try {
            List<Future<Api.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                String user = i % 2 == 0 ? Api.MONITOR : Api.SUBMITTER;
                replies.add(scripts.submit(() -> Api.as(user).get(status + "?wait=50")));
            }
            // A wait that runs out answers with the state of that moment.
            Api.Reply early = Api.as(Api.SUBMITTER).get(status + "?wait=2");
            assertThat(early.status()).isEqualTo(200);
            assertThat(early.json().getString("status")).isIn("STARTING", "STARTED");

            // The waiting requests, sent 2 s ago, are parked: Liberty's request threads are free.
            long active = activeServerThreads();
            assertThat(Jobs.get(id).getString("status"))
                    .as("the job still runs while measured")
                    .isEqualTo("STARTED");
            assertThat(active)
                    .as("Default Executor threads running tasks while %d scripts wait", waiters)
                    .isLessThan(waiters / 2);
            System.out.printf("status?wait: %d scripts waiting, %d server threads busy%n", waiters, active);

            Jobs.on(Api.Server.main()).control(id, "stop");
            for (Future<Api.Reply> f : replies) {
                Api.Reply r = f.get(1, TimeUnit.MINUTES);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.json().getString("status")).isEqualTo("STOPPED");
            }
        } finally {
            scripts.shutdownNow();
        }
    }

    /** Liberty's own gauge of its request threads at work (vendor metrics). */
    private static long activeServerThreads() {
        return (long) Sampler.metric("vendor", "threadpool_activeThreads\\{[^}]*pool=\"Default_Executor\"[^}]*}");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
