package io.vidbatch.it;

import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every caller against every endpoint, with the exact status each must get: our API, Liberty's
 * batch API, the console's sign-in, metrics, OpenAPI and health. The table it checks is written
 * to target/reliability/role-matrix.md (docs/reliability.md is made from it).
 */
@MicroShedTest
class RoleMatrixIT {

    /** The callers, in the table's column order: null is anonymous; submitter2 is another submitter, norole has no role. */
    private static final List<String> WHO =
            List.of("anonymous", Api.MONITOR, Api.SUBMITTER, Api.ADMIN, "submitter2", "norole");

    private record Row(String method, String path, String body, int... expected) {}

    private static Api caller(String who) {
        return who.equals("anonymous") ? Api.anonymous() : Api.as(who);
    }

    @Test
    void everyCallerGetsExactlyTheAnswerItShouldFromEveryEndpoint() throws Exception {
        // The submitter's finished job (with a thumbnail, a worst-frame still and an item log) and a schedule to read.
        long job = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4"),
                "outputDir",
                Jobs.dir("it-matrix"),
                "operations",
                "thumbnail(at=50%)",
                "quality",
                true));
        Jobs.waitForEnd(job, Duration.ofMinutes(1));
        String schedule = "matrix-" + Jobs.dir("it").replaceAll("[^a-z0-9-]", "");
        String scheduleBody = "{\"cron\": \"0 2 * * *\", \"enabled\": false, \"job\": "
                + Jobs.body("inputs", List.of("samples/screen-480p-noaudio.mp4"), "dryRun", true) + "}";
        assertThat(Api.as(Api.ADMIN).put(Schedules.URL + schedule, scheduleBody).status())
                .isEqualTo(201);
        // An endpoint nothing posts to (discard port): no job of this test names it.
        String webhookBody = "{\"url\": \"http://127.0.0.1:9/matrix\", \"secret\": \"" + "s".repeat(32) + "\"}";
        String dryRun = Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4"),
                "outputDir",
                Jobs.dir("it-matrix-dry"),
                "dryRun",
                true);
        String libertyJob = "{\"applicationName\":\"vidbatch\",\"jobXMLName\":\"transcode\",\"jobParameters\":"
                + "{\"inputs\":\"samples/screen-480p-noaudio.mp4\",\"dryRun\":\"true\",\"outputDir\":\""
                + Jobs.dir("it-matrix-liberty") + "\"}}";

        String api = "/vidbatch/api/v1";
        String https = "https://localhost:" + System.getProperty("microshed_https_port");
        String j = api + "/jobs/" + job;
        //                 anonymous monitor submitter admin submitter2 norole
        List<Row> rows = List.of(
                new Row("GET", api + "/catalog", null, 401, 200, 200, 200, 200, 403),
                new Row("GET", api + "/jobs", null, 401, 200, 200, 200, 200, 403),
                new Row("POST", api + "/jobs", dryRun, 401, 403, 201, 201, 201, 403),
                new Row("GET", j, null, 401, 200, 200, 200, 404, 403),
                new Row("GET", j + "/status", null, 401, 200, 200, 200, 404, 403),
                new Row("GET", j + "/report", null, 401, 200, 200, 200, 404, 403),
                new Row("GET", j + "/items/1/log", null, 401, 200, 200, 200, 404, 403),
                new Row("GET", j + "/inputs/1/thumbnails/0", null, 401, 200, 200, 200, 404, 403),
                new Row("GET", j + "/inputs/1/worst", null, 401, 200, 200, 200, 404, 403),
                new Row("POST", j + "/stop", "", 401, 403, 409, 409, 404, 403),
                new Row("POST", j + "/restart", "", 401, 403, 409, 409, 404, 403),
                new Row("GET", api + "/schedules", null, 401, 200, 200, 200, 200, 403),
                new Row("GET", api + "/schedules/" + schedule, null, 401, 200, 200, 200, 200, 403),
                new Row("PUT", api + "/schedules/" + schedule, scheduleBody, 401, 403, 403, 200, 403, 403),
                new Row("DELETE", api + "/schedules/no-such-schedule", null, 401, 403, 403, 404, 403, 403),
                new Row("POST", api + "/schedules/no-such-schedule/runs", "", 401, 403, 404, 404, 404, 403),
                new Row("GET", j + "/deliveries", null, 401, 200, 200, 200, 404, 403),
                // Webhooks: batchAdmin registers them (no second endpoint on a refused call: 201 once);
                // every role may list them; deliveries of an endpoint are for admins and monitors.
                new Row("PUT", api + "/webhooks/" + schedule, webhookBody, 401, 403, 403, 201, 403, 403),
                new Row("GET", api + "/webhooks", null, 401, 200, 200, 200, 200, 403),
                new Row("GET", api + "/webhooks/" + schedule, null, 401, 200, 200, 200, 200, 403),
                new Row("GET", api + "/webhooks/" + schedule + "/deliveries", null, 401, 200, 403, 200, 403, 403),
                new Row("DELETE", api + "/webhooks/no-such-webhook", null, 401, 403, 403, 404, 403, 403),
                // batchAdmin only; a hundred years back purges nothing of the other tests' jobs.
                new Row("POST", api + "/purge", "{\"olderThanDays\": 36500}", 401, 403, 403, 200, 403, 403),
                // Liberty's own batch API answers 401 where ours answers 403 (signed in, not allowed): its design.
                new Row("GET", "/ibm/api/batch/jobinstances?jobName=transcode", null, 401, 200, 200, 200, 200, 401),
                new Row("GET", "/ibm/api/batch/jobinstances/" + job, null, 401, 200, 200, 200, 401, 401),
                new Row("POST", "/ibm/api/batch/jobinstances", libertyJob, 401, 401, 201, 201, 201, 401),
                new Row("GET", "/vidbatch/session", null, 401, 200, 200, 200, 200, 200),
                new Row("GET", "/vidbatch/console/", null, 200, 200, 200, 200, 200, 200),
                // Admin Center (HTTPS only): its pages go to the login form; its Java Batch tool takes
                // Liberty's reader (monitors) and administrator roles, not submitters (docs/watching.md, Admin Center).
                new Row("GET", https + "/adminCenter/", null, 302, 302, 302, 302, 302, 302),
                new Row("GET", https + AdminCenterIT.TOOL, null, 401, 200, 403, 200, 403, 403),
                new Row("GET", "/metrics", null, 401, 200, 403, 200, 403, 403),
                new Row("GET", "/openapi", null, 200, 200, 200, 200, 200, 200),
                new Row("GET", "/health/ready", null, 200, 200, 200, 200, 200, 200));

        String root = Api.appUrl().replaceAll("/vidbatch$", "");
        List<String> table = new ArrayList<>();
        table.add("| call | " + String.join(" | ", WHO) + " |");
        table.add("|---|" + "---|".repeat(WHO.size()));
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            StringBuilder line = new StringBuilder("| `" + row.method() + " "
                    + row.path()
                            .replace(https, "")
                            .replace(String.valueOf(job), "{id}")
                            .replace(schedule, "{name}") + "` |");
            for (int i = 0; i < WHO.size(); i++) {
                Api who = caller(WHO.get(i));
                String url = row.path().startsWith("https://") ? row.path() : root + row.path();
                Api.Reply r = switch (row.method()) {
                    case "GET" -> who.get(url);
                    case "POST" -> who.post(url, row.body());
                    case "PUT" -> who.put(url, row.body());
                    case "DELETE" -> who.delete(url);
                    default -> throw new IllegalArgumentException(row.method());
                };
                boolean ok = r.status() == row.expected()[i];
                line.append(' ')
                        .append(r.status())
                        .append(ok ? "" : " ✗ (expected " + row.expected()[i] + ")")
                        .append(" |");
                if (!ok) {
                    wrong.add(row.method() + " " + row.path() + " as " + WHO.get(i) + ": " + r.status() + ", expected "
                            + row.expected()[i] + ": "
                            + r.body().substring(0, Math.min(200, r.body().length())));
                }
            }
            table.add(line.toString());
        }
        Api.as(Api.ADMIN).delete(Schedules.URL + schedule);
        Path out = Files.createDirectories(Path.of("target/reliability")).resolve("role-matrix.md");
        Files.writeString(out, String.join("\n", table) + "\n");
        assertThat(wrong)
                .as("calls answered otherwise than designed (table: " + out + ")")
                .isEmpty();
    }

    @Test
    void noPasswordIsWrittenToAnyLogOrJobLog() throws Exception {
        // Every user above signed in with Basic auth (and the console with a form) many times by now.
        Path logs = Path.of("target/liberty/wlp/usr/servers/vidbatch-it/logs");
        List<String> secrets = WHO.stream()
                .filter(w -> !w.equals("anonymous"))
                .map(Api::password)
                .toList();
        List<String> found = new ArrayList<>();
        try (var files = Files.walk(logs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                secrets.stream().filter(text::contains).forEach(p -> found.add(f + ": " + p));
            }
        }
        assertThat(found).isEmpty();
    }
}
