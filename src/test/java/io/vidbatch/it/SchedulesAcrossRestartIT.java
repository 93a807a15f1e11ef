package io.vidbatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schedules across a server stop: a firing that fell due while the server was down (or stopping) runs at
 * start-up when within its grace and is recorded as missed beyond it; a watched folder's files
 * are each taken by exactly one run, before and after the restart, and a file still being
 * written waits.
 */
@MicroShedTest
class SchedulesAcrossRestartIT {

    private static final String URL = Schedules.URL;

    @Test
    void missedFiringsAndTheWatchLedgerHoldAcrossAServerStop() throws Exception {
        String run = Jobs.dir("it").replaceAll("[^a-z0-9-]", "");
        Path inbox = Files.createDirectories(Jobs.inputs().resolve("inbox-restart-" + run));
        Files.copy(Jobs.sample("screen-480p-noaudio.mp4"), inbox.resolve("a.mp4"));
        Files.copy(Jobs.sample("portrait-rotated.mp4"), inbox.resolve("b.mp4"));
        String watch = "watch-restart-" + run;
        String late = "late-" + run;
        String gone = "gone-" + run;
        try {
            save(watch, "*/3 * * * * *", "\"watch\": true", List.of("inbox-restart-" + run));
            JsonObject first =
                    Schedules.awaitRun(watch, r -> r.getString("outcome").equals("STARTED"), "taking a and b");
            assertThat(first.getString("message")).isEqualTo("2 new file(s)");
            // Let it finish: a job cut short by the stop would end FAILED, which is not what this test is about.
            Jobs.on(Api.Server.main())
                    .awaitEnd(first.getJsonNumber("jobInstance").longValue(), Duration.ofMinutes(2));

            // Two schedules due once, at a second that will pass while the server is down: one may run
            // up to ten minutes late, the other one second late only. The stop below reaches the
            // server within a second or two of being asked (it took 4.4 s in all here).
            Instant due = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
            ZonedDateTime at = due.atZone(ZoneOffset.UTC);
            String once = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " " + at.getDayOfMonth() + " "
                    + at.getMonthValue() + " *";
            save(late, once, "\"graceSeconds\": 600", List.of("samples/screen-480p-noaudio.mp4"));
            save(gone, once, "\"graceSeconds\": 1", List.of("samples/screen-480p-noaudio.mp4"));

            // Liberty may take up to 30 s to stop (it lets work finish first); a firing that falls in
            // that time is not run either (the server is stopping) and is owed at start-up all the same.
            ItServer.stop();
            Files.copy(Jobs.sample("talk-720p-23976.mp4"), inbox.resolve("c.mp4")); // arrives while the server is down
            // Time passing is the point here: the due second must go by while the server is down.
            Jobs.sleep(Math.max(0, Duration.between(Instant.now(), due).toMillis()) + 2000);
            ItServer.start();
            Instant up = Instant.now();

            // A fourth file is still being copied in as the server comes back.
            var writer = Schedules.copySlowly(Jobs.sample("portrait-rotated.mp4"), inbox.resolve("d.mp4"));

            JsonObject caughtUp =
                    Schedules.awaitRun(late, r -> r.getString("outcome").equals("STARTED"), "caught up at start-up");
            assertThat(caughtUp.getString("message"))
                    .isEqualTo("the firing due at " + due
                            + " fell while the server was down; run at start-up, within the grace of 600 s");
            long lateJob = caughtUp.getJsonNumber("jobInstance").longValue();
            assertThat(Api.as(Api.ADMIN)
                            .get(Api.batchUrl() + "/jobinstances/" + lateJob)
                            .json()
                            .getString("submitter"))
                    .isEqualTo("scheduler");
            assertThat(Jobs.on(Api.Server.main())
                            .awaitEnd(lateJob, Duration.ofMinutes(1))
                            .getString("status"))
                    .isEqualTo("COMPLETED");
            assertThat(Schedules.runs(late))
                    .as("run once, not once per start-up check")
                    .hasSize(1);

            JsonObject missed =
                    Schedules.awaitRun(gone, r -> r.getString("outcome").equals("MISSED"), "recorded as missed");
            assertThat(Instant.parse(missed.getString("firedAt")))
                    .as("recorded at the time it fell due")
                    .isEqualTo(due);
            assertThat(missed.getString("message"))
                    .startsWith("the firing due at " + due + " fell while the server was down; the last was ")
                    .endsWith(" s late at start-up, beyond the grace of 1 s");
            assertThat(Schedules.runs(gone))
                    .extracting(r -> r.getString("outcome"))
                    .containsExactly("MISSED");

            Instant lastWrite = writer.join();
            JsonObject tookD = Schedules.awaitRun(
                    watch,
                    r -> r.getString("outcome").equals("STARTED")
                            && Instant.parse(r.getString("firedAt")).isAfter(lastWrite.minusSeconds(2)),
                    "taking d once it stopped growing");
            // Two more firings: they must find nothing new (checked below: each file taken by exactly one run).
            List<JsonObject> runs = Schedules.awaitFiringsAfter(watch, tookD, 2, "finding nothing new");
            List<String> taken = new ArrayList<>();
            for (JsonObject r : runs) {
                if (!r.getString("outcome").equals("STARTED")) {
                    continue;
                }
                JsonObject job = Jobs.on(Api.Server.main())
                        .awaitEnd(r.getJsonNumber("jobInstance").longValue(), Duration.ofMinutes(2));
                assertThat(job.getString("exitStatus")).as(r.toString()).startsWith("ALL DONE");
                List<String> files = Schedules.taken(job);
                if (files.contains("d.mp4")) {
                    // Its size held still for the settle time: the run began at most 2 s before the last write ended.
                    assertThat(Instant.parse(r.getString("firedAt")))
                            .as("took d only once it was whole")
                            .isAfter(lastWrite.minusSeconds(2));
                }
                taken.addAll(files);
            }
            assertThat(taken)
                    .as("each file taken by exactly one run, before and after the restart")
                    .containsExactlyInAnyOrder("a.mp4", "b.mp4", "c.mp4", "d.mp4");
            Report.row(
                    "faults",
                    "server stopped over a scheduled firing (grace 600 s / 1 s)",
                    "run once at start-up as `scheduler` / recorded MISSED at its due time; no firing while stopping");
            Report.row(
                    "faults",
                    "server stopped while files arrive in a watched folder, one still being written",
                    "each file taken by exactly one run across the restart; the growing one only once whole");
            assertThat(runs.stream()
                            .filter(r -> Instant.parse(r.getString("firedAt")).isAfter(up)
                                    && Instant.parse(r.getString("firedAt")).isBefore(lastWrite.minusSeconds(2))))
                    .as("firings while d grew")
                    .isNotEmpty();
        } finally {
            ItServer.ensureUp();
            for (String name : List.of(watch, late, gone)) {
                Api.as(Api.ADMIN).delete(URL + name);
            }
        }
    }

    private static void save(String name, String cron, String extra, List<String> inputs) {
        String body = "{\"cron\": \"" + cron + "\", \"zone\": \"UTC\", " + extra + ", \"job\": "
                + Jobs.body("inputs", inputs, "outputDir", Jobs.dir("it-" + name)) + "}";
        Api.Reply r = Api.as(Api.ADMIN).put(URL + name, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
}
