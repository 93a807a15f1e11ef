package io.vidbatch.it;

import io.vidbatch.api.Roles;
import jakarta.json.JsonString;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every caller against every endpoint, with the exact status each must get: our API, Liberty's
 * batch API, the console's sign-in, metrics, OpenAPI and health. One table of expectations for
 * every registry: RoleMatrixIT checks it on the IT server (basic registry), LdapIT on a server
 * whose users and groups come from a directory.
 */
final class RoleMatrix {

    /**
     * The callers, in the table's column order: anonymous signs in as nobody; submitter2 is
     * another submitter, norole a user of the registry in no group.
     */
    static final List<String> WHO = List.of("anonymous", Api.MONITOR, Api.SUBMITTER, Api.ADMIN, "submitter2", "norole");

    /** The batch roles the console's sign-in reports for each caller it lets in. */
    static final Map<String, List<String>> SIGNED_IN_ROLES = Map.of(
            Api.MONITOR,
            List.of(Roles.MONITOR),
            Api.SUBMITTER,
            List.of(Roles.SUBMITTER),
            Api.ADMIN,
            List.of(Roles.ADMIN),
            "submitter2",
            List.of(Roles.SUBMITTER));

    private static final String SIGN_IN = "SIGN-IN";

    private record Row(String method, String path, String body, int... expected) {}

    private RoleMatrix() {}

    /**
     * Calls every row as every caller on {@code server} ({@code https}: its HTTPS root, for Admin
     * Center), {@code callers} saying who each column is; writes the table to {@code table}.
     * Returns the calls answered otherwise than designed, empty when all are right.
     */
    static List<String> check(Api.Server server, String https, Function<String, Api> callers, Path table)
            throws IOException {
        Function<String, Api> who = w -> w.equals("anonymous") ? Api.anonymous() : callers.apply(w);
        // The submitter's finished job (with a thumbnail, a worst-frame still and an item log) and a schedule to read.
        // Followed as the admin, not the monitor: the set-up leans on as few roles as it can, so
        // that a wrong mapping of the others shows in the table rather than stopping it.
        Jobs jobs = Jobs.on(server, w -> callers.apply(w.equals(Api.MONITOR) ? Api.ADMIN : w));
        long job = jobs.post(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4"),
                "outputDir",
                Jobs.dir("it-matrix"),
                "operations",
                "thumbnail(at=50%)",
                "quality",
                true));
        jobs.awaitEnd(job, Duration.ofMinutes(1));
        String api = server.appUrl().replaceAll("^https?://[^/]+", "") + "/api/v1";
        String root = server.appUrl().replaceAll("/vidbatch$", "");
        String schedules = root + api + "/schedules/";
        String schedule = "matrix-" + Jobs.dir("it").replaceAll("[^a-z0-9-]", "");
        String scheduleBody = "{\"cron\": \"0 2 * * *\", \"enabled\": false, \"job\": "
                + Jobs.body("inputs", List.of("samples/screen-480p-noaudio.mp4"), "dryRun", true) + "}";
        assertThat(callers.apply(Api.ADMIN)
                        .put(schedules + schedule, scheduleBody)
                        .status())
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
                new Row("GET", j + "/deliveries", null, 401, 200, 200, 200, 404, 403),
                // Webhooks: batchAdmin registers them (no second endpoint on a refused call: 201 once);
                // every role may list them; deliveries of an endpoint are for admins and monitors.
                new Row("PUT", api + "/webhooks/" + schedule, webhookBody, 401, 403, 403, 201, 403, 403),
                new Row("GET", api + "/webhooks", null, 401, 200, 200, 200, 200, 403),
                new Row("GET", api + "/webhooks/" + schedule, null, 401, 200, 200, 200, 200, 403),
                new Row("GET", api + "/webhooks/" + schedule + "/deliveries", null, 401, 200, 403, 200, 403, 403),
                new Row("DELETE", api + "/webhooks/no-such-webhook", null, 401, 403, 403, 404, 403, 403),
                new Row("GET", api + "/schedules", null, 401, 200, 200, 200, 200, 403),
                new Row("GET", api + "/schedules/" + schedule, null, 401, 200, 200, 200, 200, 403),
                new Row("PUT", api + "/schedules/" + schedule, scheduleBody, 401, 403, 403, 200, 403, 403),
                new Row("DELETE", api + "/schedules/no-such-schedule", null, 401, 403, 403, 404, 403, 403),
                new Row("POST", api + "/schedules/no-such-schedule/runs", "", 401, 403, 404, 404, 404, 403),
                // batchAdmin only; a hundred years back purges nothing of the other tests' jobs.
                new Row("POST", api + "/purge", "{\"olderThanDays\": 36500}", 401, 403, 403, 200, 403, 403),
                // Liberty's own batch API answers 401 where ours answers 403 (signed in, not allowed): its design.
                new Row("GET", "/ibm/api/batch/jobinstances?jobName=transcode", null, 401, 200, 200, 200, 200, 401),
                new Row("GET", "/ibm/api/batch/jobinstances/" + job, null, 401, 200, 200, 200, 401, 401),
                new Row("POST", "/ibm/api/batch/jobinstances", libertyJob, 401, 401, 201, 201, 201, 401),
                new Row("GET", "/vidbatch/session", null, 401, 200, 200, 200, 200, 200),
                // The console's form: a user without a role is refused as a wrong password is;
                // anonymous posts empty fields. Who is let in gets their roles (SIGNED_IN_ROLES).
                new Row(SIGN_IN, "/vidbatch/session", null, 400, 200, 200, 200, 200, 401),
                new Row("GET", "/vidbatch/console/", null, 200, 200, 200, 200, 200, 200),
                // The console's single sign-on link: anyone of a role goes on to the console.
                new Row("GET", "/vidbatch/session/sso", null, 401, 302, 302, 302, 302, 403),
                // Admin Center (HTTPS only): its pages go to the login form; its Java Batch tool takes
                // Liberty's reader (monitors) and administrator roles, not submitters (docs/watching.md, Admin Center).
                new Row("GET", https + "/adminCenter/", null, 302, 302, 302, 302, 302, 302),
                new Row("GET", https + AdminCenterIT.TOOL, null, 401, 200, 403, 200, 403, 403),
                new Row("GET", "/metrics", null, 401, 200, 403, 200, 403, 403),
                new Row("GET", "/openapi", null, 200, 200, 200, 200, 200, 200),
                new Row("GET", "/health/ready", null, 200, 200, 200, 200, 200, 200));

        List<String> lines = new ArrayList<>();
        lines.add("| call | " + String.join(" | ", WHO) + " |");
        lines.add("|---|" + "---|".repeat(WHO.size()));
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            String method = row.method().equals(SIGN_IN) ? "POST" : row.method();
            StringBuilder line = new StringBuilder("| `" + method + " "
                    + row.path()
                            .replace(https, "")
                            .replace("/jobs/" + job, "/jobs/{id}")
                            .replace("/jobinstances/" + job, "/jobinstances/{id}")
                            .replace(schedule, "{name}")
                    + "`" + (row.method().equals(SIGN_IN) ? " (form)" : "")
                    + " |");
            for (int i = 0; i < WHO.size(); i++) {
                Api caller = who.apply(WHO.get(i));
                String url = row.path().startsWith("https://") ? row.path() : root + row.path();
                Api.Reply r = switch (row.method()) {
                    case "GET" -> caller.get(url);
                    case "POST" -> caller.post(url, row.body());
                    case "PUT" -> caller.put(url, row.body());
                    case "DELETE" -> caller.delete(url);
                    case SIGN_IN -> caller.signIn(url);
                    default -> throw new IllegalArgumentException(row.method());
                };
                String why = r.status() == row.expected()[i] ? null : "expected " + row.expected()[i];
                if (why == null && row.method().equals(SIGN_IN) && r.status() == 200) {
                    List<String> roles = r.json().getJsonArray("roles").getValuesAs(JsonString.class).stream()
                            .map(JsonString::getString)
                            .toList();
                    List<String> expected = SIGNED_IN_ROLES.get(WHO.get(i));
                    why = roles.equals(expected) ? null : "roles " + roles + ", expected " + expected;
                }
                line.append(' ')
                        .append(r.status())
                        .append(why == null ? "" : " ✗ (" + why + ")")
                        .append(" |");
                if (why != null) {
                    wrong.add(method + " " + row.path() + " as " + WHO.get(i) + ": " + r.status() + ", " + why + ": "
                            + r.body().substring(0, Math.min(200, r.body().length())));
                }
            }
            lines.add(line.toString());
        }
        callers.apply(Api.ADMIN).delete(schedules + schedule);
        callers.apply(Api.ADMIN).delete(root + api + "/webhooks/" + schedule);
        Files.createDirectories(table.getParent());
        Files.writeString(table, String.join("\n", lines) + "\n");
        return wrong;
    }
}
