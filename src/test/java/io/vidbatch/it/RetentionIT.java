package io.vidbatch.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Purging old job instances (POST /api/v1/purge, what the nightly run does): Liberty's rows and
 * job logs, vidbatch's rows and work folders go; outputs and newer jobs stay. On a server of its
 * own, so that no other test's jobs are purged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionIT {

    private static final int HTTP = Integer.getInteger("vidbatch.it.retention.http.port", 29180);
    private static final int HTTPS = Integer.getInteger("vidbatch.it.retention.https.port", 29543);
    private static final String NAME = "vidbatch-retention";
    private static final Path OUTPUTS = Path.of("target/it/retention-outputs").toAbsolutePath();
    private static final Path JOB_LOGS = Path.of("target/liberty/wlp/usr/servers/" + NAME + "/logs/joblogs/transcode");
    private static final String SAMPLE = "samples/screen-480p-noaudio.mp4";

    private final Api.Server server =
            new Api.Server("https://localhost:" + HTTPS + "/vidbatch", "https://localhost:" + HTTPS + "/ibm/api/batch");
    private final Jobs jobs = Jobs.on(server);
    private ProductionServer process;

    @BeforeAll
    void start() throws Exception {
        deleteTree(OUTPUTS);
        Files.createDirectories(OUTPUTS);
        process = ProductionServer.create(
                NAME,
                HTTP,
                HTTPS,
                Map.of(
                        "VIDBATCH_PROFILE", "development",
                        "INPUT_ROOTS", Jobs.inputs().toAbsolutePath().toString(),
                        "OUTPUT_ROOT", OUTPUTS.toString()));
        process.startReady(HTTPS);
    }

    @AfterAll
    void stop() throws Exception {
        if (process != null) {
            process.stop();
        }
    }

    @Test
    void oldJobsGoWithTheirRowsLogsAndWorkFilesWhileOutputsAndNewerJobsStay() throws Exception {
        // 200 old instances: 2 that encode (their outputs must stay), 198 dry runs. One at a time:
        // ten dry runs ending at once made embedded Derby time out on a lock (job 29 FAILED).
        List<Long> old = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long id = jobs.post(Jobs.body(
                    "inputs", List.of(SAMPLE), "preset", "h264-480p", "outputDir", "old-" + i, "dryRun", i >= 2));
            assertThat(ended(id)).as("job " + id).isEqualTo("COMPLETED");
            old.add(id);
        }
        List<Path> outputs = List.of(output(old.get(0)), output(old.get(1)));
        assertThat(outputs).allMatch(Files::isRegularFile);
        assertThat(Files.isDirectory(OUTPUTS.resolve(".vidbatch-work/" + old.get(0))))
                .isTrue();
        assertThat(jobLogs(old.get(5))).isNotEmpty();
        // Every old job has ended before the server's clock read this.
        Instant cutoff = Instant.ofEpochMilli(
                jobs.fetch(old.get(old.size() - 1)).getJsonNumber("now").longValue());
        long newer = jobs.post(Jobs.body("inputs", List.of(SAMPLE), "outputDir", "newer", "dryRun", true));
        assertThat(ended(newer)).isEqualTo("COMPLETED");

        String body = "{\"endedBefore\": \"" + cutoff + "\"}";
        assertThat(Api.as(Api.SUBMITTER)
                        .post(server.appUrl() + "/api/v1/purge", body)
                        .status())
                .isEqualTo(403);
        assertThat(Api.as(Api.MONITOR)
                        .post(server.appUrl() + "/api/v1/purge", body)
                        .status())
                .isEqualTo(403);
        Api.Reply reply = Api.as(Api.ADMIN).post(server.appUrl() + "/api/v1/purge", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonObject result = reply.json();
        assertThat(result.getJsonArray("purged").getValuesAs(jakarta.json.JsonNumber.class).stream()
                        .map(jakarta.json.JsonNumber::longValue))
                .containsExactlyInAnyOrderElementsOf(old);
        assertThat(result.getJsonArray("failed")).isEmpty();
        assertThat(result.getInt("outputs")).isZero();

        // Liberty holds none of them, nor their job logs; vidbatch knows none, nor keeps their work.
        JsonArray left = Api.as(Api.ADMIN)
                .get(server.batchUrl() + "/v4/jobinstances?pageSize=500&jobInstanceId="
                        + old.stream().map(String::valueOf).collect(Collectors.joining(",")))
                .array();
        assertThat(left).isEmpty();
        for (long id : old) {
            assertThat(Api.as(Api.ADMIN)
                            .get(server.appUrl() + "/api/v1/jobs/" + id)
                            .status())
                    .as("job " + id)
                    .isEqualTo(404);
            assertThat(OUTPUTS.resolve(".vidbatch-work/" + id)).doesNotExist();
            assertThat(jobLogs(id)).as("job logs of " + id).isEmpty();
        }
        assertThat(outputs).allMatch(Files::isRegularFile);
        // vidbatch's rows went with them: a sweep finds none left without their instance.
        Api.Reply again = Api.as(Api.ADMIN).post(server.appUrl() + "/api/v1/purge", "{\"olderThanDays\": 36500}");
        assertThat(again.json().getJsonArray("purged")).isEmpty();
        assertThat(again.json().getInt("swept")).isZero();
        // The newer job is whole.
        assertThat(jobs.fetch(newer).getString("status")).isEqualTo("COMPLETED");
        assertThat(jobLogs(newer)).isNotEmpty();
        Report.row(
                "retention",
                "200 job instances ended before the cutoff (2 encoded, 198 dry runs), 1 after; POST /api/v1/purge as admin",
                "200 purged (Liberty's rows and job logs, vidbatch's rows and work folders gone), the 2 outputs kept,"
                        + " the newer job whole; submitter and monitor 403");
    }

    @Test
    void outputsGoOnlyWhenAskedAndTheReportStays() throws Exception {
        long id = jobs.post(Jobs.body("inputs", List.of(SAMPLE), "preset", "h264-480p", "outputDir", "asked"));
        assertThat(ended(id)).isEqualTo("COMPLETED");
        Path output = output(id);
        Path report = output.resolveSibling("vidbatch-report-" + id + ".json");
        assertThat(output).isRegularFile();
        assertThat(report).isRegularFile();
        Instant after = Instant.ofEpochMilli(jobs.fetch(id).getJsonNumber("now").longValue());

        Api.Reply reply = Api.as(Api.ADMIN)
                .post(server.appUrl() + "/api/v1/purge", "{\"endedBefore\": \"" + after + "\", \"outputs\": true}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().getJsonArray("purged").getValuesAs(jakarta.json.JsonNumber.class).stream()
                        .map(jakarta.json.JsonNumber::longValue))
                .contains(id);
        assertThat(reply.json().getInt("outputs")).isPositive();
        assertThat(output).doesNotExist();
        assertThat(report).isRegularFile();
    }

    @Test
    void aJobPurgedThroughLibertysOwnApiLeavesNothingOfVidbatchsBehind() throws Exception {
        long id = jobs.post(Jobs.body("inputs", List.of(SAMPLE), "outputDir", "elsewhere", "dryRun", true));
        assertThat(ended(id)).isEqualTo("COMPLETED");
        assertThat(Api.as(Api.ADMIN)
                        .delete(server.batchUrl() + "/jobinstances/" + id)
                        .status())
                .isEqualTo(200);

        Api.Reply reply = Api.as(Api.ADMIN).post(server.appUrl() + "/api/v1/purge", "{\"olderThanDays\": 36500}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().getInt("swept")).isPositive();
        assertThat(OUTPUTS.resolve(".vidbatch-work/" + id)).doesNotExist();
        assertThat(Api.as(Api.ADMIN).get(server.appUrl() + "/api/v1/jobs/" + id).status())
                .isEqualTo(404);
    }

    @Test
    void aPurgeMustSayHowOld() {
        Api admin = Api.as(Api.ADMIN);
        String url = server.appUrl() + "/api/v1/purge";
        for (String bad : List.of(
                "{}",
                "{\"olderThanDays\": -1}",
                "{\"olderThanDays\": 1.5}",
                "{\"olderThanDays\": 1, \"endedBefore\": \"2026-01-01T00:00:00Z\"}",
                "{\"endedBefore\": \"yesterday\"}",
                "{\"olderThanDays\": 30, \"outputs\": \"yes\"}",
                "{\"olderThanDays\": 30, \"everything\": true}")) {
            assertThat(admin.post(url, bad).status()).as(bad).isEqualTo(400);
        }
    }

    /** Waits on the job's status (status?wait), as a script would, and gives its batch status. */
    private String ended(long id) {
        return Waits.await("job " + id + " ended", Duration.ofMinutes(3), Duration.ZERO)
                .until(
                        () -> Api.as(Api.SUBMITTER)
                                .get(server.appUrl() + "/api/v1/jobs/" + id + "/status?wait=30")
                                .json()
                                .getString("status"),
                        s -> Jobs.ENDED.contains(s));
    }

    private Path output(long id) {
        return Path.of(jobs.fetch(id)
                .getJsonArray("inputs")
                .getJsonObject(0)
                .getJsonObject("output")
                .getString("path"));
    }

    private static List<Path> jobLogs(long id) throws IOException {
        if (!Files.isDirectory(JOB_LOGS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(JOB_LOGS, 2)) {
            return s.filter(p -> p.getFileName().toString().equals("instance." + id))
                    .toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
