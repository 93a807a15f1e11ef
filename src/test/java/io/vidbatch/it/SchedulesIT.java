package io.vidbatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Schedules are stored and read over REST: batchAdmin manages them, the other roles read them. */
@MicroShedTest
class SchedulesIT {

    private static final String URL = Schedules.URL;

    private static String nightly(String cron, String zone) {
        return "{\"cron\": \"" + cron + "\", \"zone\": \"" + zone + "\", \"job\": "
                + Jobs.body("inputs", List.of("samples"), "outputDir", Jobs.dir("it-nightly")) + "}";
    }

    @Test
    void anAdminCreatesChangesAndDeletesAScheduleThatEveryRoleReads() {
        String name = "nightly-" + Jobs.dir("it").replaceAll("[^a-z0-9-]", "");
        Api.Reply created = Api.as(Api.ADMIN).put(URL + name, nightly("0 2 * * *", "Europe/Paris"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ZonedDateTime next =
                ZonedDateTime.parse(created.json().getString("nextFire").replaceAll("\\[.*]$", ""));
        assertThat(next.getHour()).isEqualTo(2);
        assertThat(next.getMinute()).isZero();
        assertThat(next)
                .isAfter(ZonedDateTime.now())
                .isBefore(ZonedDateTime.now().plusDays(1).plusHours(1));

        for (String reader : List.of(Api.MONITOR, Api.SUBMITTER)) {
            Api.Reply r = Api.as(reader).get(URL + name);
            assertThat(r.status()).as(reader).isEqualTo(200);
            assertThat(r.json().getJsonObject("job").getJsonArray("inputs").getString(0))
                    .isEqualTo("samples");
        }

        Api.Reply changed = Api.as(Api.ADMIN).put(URL + name, nightly("30 3 * * MON-FRI", "UTC"));
        assertThat(changed.status()).isEqualTo(200);
        JsonObject again = Api.as(Api.MONITOR).get(URL + name).json();
        assertThat(again.getString("cron")).isEqualTo("30 3 * * MON-FRI");
        assertThat(again.getString("nextFire")).contains("T03:30");

        assertThat(Api.as(Api.ADMIN).delete(URL + name).status()).isEqualTo(204);
        assertThat(Api.as(Api.MONITOR).get(URL + name).status()).isEqualTo(404);
    }

    /** Saves a schedule, waits for its first run with this outcome, and deletes it so it fires no more. */
    private static JsonObject firstRun(String name, String body, String outcome) {
        assertThat(Api.as(Api.ADMIN).put(URL + name, body).status()).isEqualTo(201);
        try {
            return Schedules.awaitRun(name, r -> r.getString("outcome").equals(outcome), outcome);
        } finally {
            assertThat(Api.as(Api.ADMIN).delete(URL + name).status()).isEqualTo(204);
        }
    }

    @Test
    void aScheduleFiresAndItsJobRunsAsTheSchedulerIdentity() {
        String name = "every-5s-" + Jobs.dir("it").replaceAll("[^a-z0-9-]", "");
        String body = "{\"cron\": \"*/5 * * * * *\", \"zone\": \"UTC\", \"job\": "
                + Jobs.body(
                        "inputs",
                        List.of("samples/screen-480p-noaudio.mp4"),
                        "outputDir",
                        Jobs.dir("it-schedule-fires"))
                + "}";
        JsonObject run = firstRun(name, body, "STARTED");
        long id = run.getJsonNumber("jobInstance").longValue();
        // Liberty records who started the job: the scheduler, not the admin who saved the schedule.
        JsonObject instance =
                Api.as(Api.ADMIN).get(Api.batchUrl() + "/jobinstances/" + id).json();
        assertThat(instance.getString("submitter")).isEqualTo("scheduler");
        assertThat(Jobs.on(Api.Server.main())
                        .awaitEnd(id, java.time.Duration.ofMinutes(1))
                        .getString("status"))
                .isEqualTo("COMPLETED");
    }

    @Test
    void aFiringWhileThePreviousJobRunsIsSkippedAndRecorded() {
        String name = "overlap-" + Jobs.dir("it").replaceAll("[^a-z0-9-]", "");
        String body = "{\"cron\": \"*/2 * * * * *\", \"zone\": \"UTC\", \"job\": "
                + Jobs.body(
                        "inputs",
                        List.of("samples/slow-1080p-60s.mp4"),
                        "outputDir",
                        Jobs.dir("it-schedule-overlap"),
                        "workers",
                        1)
                + "}";
        JsonObject skipped = firstRun(name, body, "SKIPPED");
        assertThat(skipped.getString("message")).matches("job \\d+ of the previous run is still running");
        long id = Long.parseLong(skipped.getString("message").replaceAll("\\D+", ""));
        assertThat(Api.as(Api.ADMIN)
                        .post(Api.appUrl() + "/api/v1/jobs/" + id + "/stop", "")
                        .status())
                .isEqualTo(202);
        Jobs.on(Api.Server.main()).awaitEnd(id, java.time.Duration.ofMinutes(1));
    }

    @Test
    void aWatchedFolderGivesEachFileToExactlyOneRunAndWaitsForAFileStillBeingWritten() throws Exception {
        String run = Jobs.dir("it").replaceAll("[^a-z0-9-]", "");
        java.nio.file.Path inbox =
                java.nio.file.Files.createDirectories(Jobs.inputs().resolve("inbox-" + run));
        java.nio.file.Files.copy(Jobs.sample("screen-480p-noaudio.mp4"), inbox.resolve("a.mp4"));
        java.nio.file.Files.copy(Jobs.sample("portrait-rotated.mp4"), inbox.resolve("b.mp4"));
        // A third file arrives slowly, as a copy over the network would: a run must not take it half-written.
        var writer = Schedules.copySlowly(Jobs.sample("talk-720p-23976.mp4"), inbox.resolve("c.mp4"));
        String name = "watch-" + run;
        String body = "{\"cron\": \"*/3 * * * * *\", \"zone\": \"UTC\", \"watch\": true, \"job\": "
                + Jobs.body("inputs", List.of("inbox-" + run), "outputDir", Jobs.dir("it-schedule-watch")) + "}";
        assertThat(Api.as(Api.ADMIN).put(URL + name, body).status()).isEqualTo(201);
        List<JsonObject> started;
        try {
            JsonObject late = Schedules.awaitRun(
                    name, r -> "1 new file(s)".equals(r.getString("message", "")), "taking the late file");
            writer.join();
            // Two more firings: they must find nothing new (checked below: still two runs that started a job).
            started = Schedules.awaitFiringsAfter(name, late, 2, "finding nothing new").stream()
                    .filter(r -> r.getString("outcome").equals("STARTED"))
                    .toList();
        } finally {
            assertThat(Api.as(Api.ADMIN).delete(URL + name).status()).isEqualTo(204);
        }
        List<String> taken = new java.util.ArrayList<>();
        for (JsonObject r : started) {
            long id = r.getJsonNumber("jobInstance").longValue();
            JsonObject job = Jobs.on(Api.Server.main()).awaitEnd(id, java.time.Duration.ofMinutes(2));
            assertThat(job.getString("exitStatus")).as("job " + id).startsWith("ALL DONE");
            taken.addAll(Schedules.taken(job));
        }
        assertThat(started).as("runs that started a job").hasSize(2);
        assertThat(taken).containsExactlyInAnyOrder("a.mp4", "b.mp4", "c.mp4");
    }

    @Test
    void aRunAskedForOverRestStartsAsTheSchedulerAndIsSkippedWhileItsJobRuns() {
        String name = "on-demand-" + Jobs.dir("it").replaceAll("[^a-z0-9-]", "");
        String body = "{\"cron\": \"0 2 * * *\", \"zone\": \"UTC\", \"enabled\": false, \"job\": "
                + Jobs.body(
                        "inputs",
                        List.of("samples/slow-1080p-60s.mp4"),
                        "outputDir",
                        Jobs.dir("it-schedule-on-demand"),
                        "workers",
                        1)
                + "}";
        Api.Reply saved = Api.as(Api.ADMIN).put(URL + name, body);
        assertThat(saved.status()).isEqualTo(201);
        assertThat(saved.json().getString("nextFire", null))
                .as("a disabled schedule never fires by itself")
                .isNull();
        try {
            assertThat(Api.as(Api.MONITOR).post(URL + name + "/runs", "").status())
                    .isEqualTo(403);
            assertThat(Api.as(Api.SUBMITTER)
                            .post(URL + "no-such-schedule/runs", "")
                            .status())
                    .isEqualTo(404);

            Api.Reply started = Api.as(Api.SUBMITTER).post(URL + name + "/runs", "");
            assertThat(started.status()).as(started.body()).isEqualTo(201);
            assertThat(started.json().getString("outcome")).isEqualTo("STARTED");
            assertThat(started.json().getString("message")).isEqualTo("asked by submitter");
            long id = started.json().getJsonNumber("jobInstance").longValue();
            assertThat(started.header("Location")).endsWith("/api/v1/jobs/" + id);
            // Whoever asks, the job is the scheduler's, as a cron firing's is.
            assertThat(Api.as(Api.ADMIN)
                            .get(Api.batchUrl() + "/jobinstances/" + id)
                            .json()
                            .getString("submitter"))
                    .isEqualTo("scheduler");

            Api.Reply again = Api.as(Api.ADMIN).post(URL + name + "/runs", "");
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().getString("outcome")).isEqualTo("SKIPPED");
            assertThat(again.json().getString("message"))
                    .isEqualTo("asked by admin; job " + id + " of the previous run is still running");
            assertThat(Schedules.runs(name))
                    .extracting(r -> r.getString("outcome"))
                    .containsExactly("SKIPPED", "STARTED");

            assertThat(Api.as(Api.ADMIN)
                            .post(Api.appUrl() + "/api/v1/jobs/" + id + "/stop", "")
                            .status())
                    .isEqualTo(202);
            Jobs.on(Api.Server.main()).awaitEnd(id, java.time.Duration.ofMinutes(1));
        } finally {
            assertThat(Api.as(Api.ADMIN).delete(URL + name).status()).isEqualTo(204);
        }
    }

    @Test
    void onlyAnAdminMayChangeSchedules() {
        String name = "monitor-try";
        assertThat(Api.as(Api.MONITOR)
                        .put(URL + name, nightly("0 2 * * *", "UTC"))
                        .status())
                .isEqualTo(403);
        assertThat(Api.as(Api.SUBMITTER)
                        .put(URL + name, nightly("0 2 * * *", "UTC"))
                        .status())
                .isEqualTo(403);
        assertThat(Api.as(Api.MONITOR).delete(URL + name).status()).isEqualTo(403);
        assertThat(Api.anonymous().get(URL).status()).isEqualTo(401);
    }

    @Test
    void aBadScheduleIsRefusedWithEveryFieldAtFault() {
        String body = "{\"cron\": \"every night\", \"zone\": \"Mars/Olympus\", \"graceSeconds\": -5, \"job\": "
                + Jobs.body("inputs", List.of("../etc"), "preset", "h266") + ", \"colour\": \"blue\"}";
        Api.Reply r = Api.as(Api.ADMIN).put(URL + "Bad_Name", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().getJsonArray("errors").getValuesAs(JsonObject.class))
                .extracting(e -> e.getString("field"))
                .contains("name", "cron", "zone", "graceSeconds", "colour", "job.preset", "job.inputs");
    }
}
