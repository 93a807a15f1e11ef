package io.vidbatch.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.io.StringReader;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin Center as a browser uses it: form login with its CSRF token, the Java Batch tool's page,
 * and the batch REST calls that tool makes (found in its bundle, see docs/watching.md, "Admin Center"),
 * authenticated by the login's cookies only.
 */
@MicroShedTest
class AdminCenterIT {

    static final String TOOL = "/ibm/adminCenter/javaBatch-1.0/";
    /** The tool's dashboard query (jsBatch/utils/restUtils: v4 list, newest first, its default page size). */
    static final String DASHBOARD = "/ibm/api/batch/v4/jobinstances?sort=-lastUpdatedTime&pageSize=100&ignoreCase=true";
    /** A user of the IT server's registry with no role at all (src/test/liberty/configDropins). */
    static final String NO_ROLE = "norole";

    @Test
    void adminSeesTheJobAndTheFfmpegLinesOfAnItemThroughTheJavaBatchTool() {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4", "samples/phone-vfr.mp4"),
                "outputDir",
                Jobs.dir("it-admincenter"),
                "workers",
                2));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(2));
        assertThat(job.getString("status")).isEqualTo("COMPLETED");
        // The item to follow into the job log: the phone clip's, as our API numbers and places it.
        JsonObject item = job.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .filter(i -> i.getString("source").endsWith("/phone-vfr.mp4"))
                .findFirst()
                .orElseThrow();
        int number = item.getInt("item");
        int partition = item.getInt("partition");
        long frames = job.getJsonArray("inputs").getValuesAs(JsonObject.class).stream()
                .filter(in -> in.getInt("input") == item.getInt("input"))
                .findFirst()
                .orElseThrow()
                .getJsonObject("output")
                .getJsonNumber("frames")
                .longValue();

        Browser admin = Browser.loggedInAs(Api.ADMIN);
        Browser.Page tool = admin.get(TOOL);
        assertThat(tool.status()).isEqualTo(200);
        assertThat(tool.body()).contains("<title>Java Batch Tool</title>");

        // Dashboard: our instance, as the tool lists it.
        Browser.Page list = admin.xhr(DASHBOARD);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        JsonObject listed = list.array().getValuesAs(JsonObject.class).stream()
                .filter(i -> i.getJsonNumber("instanceId").longValue() == id)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("job " + id + " not on the Java Batch dashboard: " + list.body()));
        assertThat(listed.getString("jobName")).isEqualTo("transcode");
        assertThat(listed.getString("batchStatus")).isEqualTo("COMPLETED");
        assertThat(listed.getString("instanceState")).isEqualTo("COMPLETED");

        // The instance's view: its executions, with the exit status our API reports.
        Browser.Page executions = admin.xhr("/ibm/api/batch/jobinstances/" + id + "/jobexecutions/");
        assertThat(executions.status()).isEqualTo(200);
        JsonObject execution = executions.array().getJsonObject(0);
        assertThat(execution.getString("batchStatus")).isEqualTo("COMPLETED");
        assertThat(execution.getString("exitStatus")).isEqualTo(job.getString("exitStatus"));
        long executionId = execution.getJsonNumber("executionId").longValue();

        // The log view: the instance's log links lead to the execution's, as the tool follows them.
        Browser.Page instanceLinks = admin.xhr("/ibm/api/batch/jobinstances/" + id + "/joblogs");
        assertThat(instanceLinks.status()).isEqualTo(200);
        assertThat(hrefs(instanceLinks.array()).get(0)).contains("/jobexecutions/" + executionId + "/joblogs");
        List<String> parts = hrefs(admin.xhr("/ibm/api/batch/jobexecutions/" + executionId + "/joblogs")
                .array());
        // The pages the tool's viewer shows (top-level parts only) are the job's own log.
        String firstPage = parts.stream()
                .filter(h -> h.matches(".*/joblogs\\?part=part\\.[0-9]+\\.log&type=text$"))
                .findFirst()
                .map(h -> admin.xhr(pathAndQuery(h)).body())
                .orElseThrow();
        assertThat(firstPage).contains("JobInstance id = " + id);

        // The chosen item's ffmpeg lines are in its partition's log part, and in no other partition's.
        String ffmpegLine = "item " + number + " ffmpeg: ";
        for (String part : parts.stream()
                .filter(h -> h.contains("part=transcode/") && h.endsWith("type=text"))
                .toList()) {
            Browser.Page text = admin.xhr(pathAndQuery(part));
            assertThat(text.status()).isEqualTo(200);
            if (part.contains("part=transcode/" + partition + "/")) {
                assertThat(text.body()).as(part).contains(ffmpegLine);
            } else {
                assertThat(text.body()).as(part).doesNotContain(ffmpegLine);
            }
        }

        // The whole instance's log as text: ffmpeg's closing report for that item, with the frame
        // count our API reports for its output.
        Browser.Page all = admin.xhr("/ibm/api/batch/jobinstances/" + id + "/joblogs?type=text");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).contains(ffmpegLine + "[info] video:");
        Matcher report = Pattern.compile(Pattern.quote(ffmpegLine) + "\\[info\\] frame=\\s*(\\d+) ")
                .matcher(all.body());
        assertThat(report.find())
                .as("ffmpeg's closing report for item " + number)
                .isTrue();
        assertThat(Long.parseLong(report.group(1))).isEqualTo(frames);
    }

    @Test
    void anonymousIsSentToTheLoginPageAndTheToolAsksForCredentials() {
        Browser anonymous = Browser.fresh();
        Browser.Page home = anonymous.get("/adminCenter/");
        assertThat(home.status()).isEqualTo(302);
        assertThat(home.location()).endsWith("/adminCenter/login.jsp");
        assertThat(anonymous.get(TOOL).status()).isEqualTo(401);
        assertThat(anonymous.xhr(DASHBOARD).status()).isEqualTo(401);
    }

    @Test
    void loginIsRefusedWithoutTheCsrfTokenOrWithAWrongPassword() {
        Browser b = Browser.fresh();
        b.get("/adminCenter/login.jsp");
        Browser.Page noToken = b.post(
                "/adminCenter/j_security_check", form("j_username", Api.ADMIN, "j_password", Api.password(Api.ADMIN)));
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(b.cookie("LtpaToken2")).isEmpty();

        Browser wrong = Browser.fresh();
        Browser.Page refused = wrong.login(Api.ADMIN, "not-" + Api.password(Api.ADMIN));
        assertThat(refused.location()).endsWith("/adminCenter/login.jsp?login-error");
        assertThat(wrong.get("/adminCenter/").status()).isEqualTo(302);
    }

    @Test
    void aMonitorLogsInAsAReaderAndSeesTheJavaBatchTool() {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4"),
                "outputDir",
                Jobs.dir("it-admincenter-monitor"),
                "dryRun",
                true));
        Browser monitor = Browser.loggedInAs(Api.MONITOR);
        assertThat(monitor.get(TOOL).status()).isEqualTo(200);
        Browser.Page list = monitor.xhr(DASHBOARD);
        assertThat(list.status()).isEqualTo(200);
        // A monitor sees every job, here the submitter's.
        assertThat(list.array().getValuesAs(JsonObject.class))
                .extracting(i -> i.getJsonNumber("instanceId").longValue())
                .contains(id);
        Jobs.waitForEnd(id, Duration.ofMinutes(1));
    }

    @Test
    void aSubmitterIsNoLibertyReaderAndStaysOut() {
        // Readers see the server's configuration in Admin Center: submitters use the console instead.
        Browser submitter = Browser.fresh();
        assertThat(submitter.login(Api.SUBMITTER, Api.password(Api.SUBMITTER)).location())
                .endsWith("/adminCenter/");
        assertThat(submitter.get("/adminCenter/").status()).isEqualTo(403);
    }

    @Test
    void aUserWithoutARoleIsTurnedAway() {
        Browser b = Browser.fresh();
        // The password is right, so the login itself succeeds; Admin Center then refuses the user.
        assertThat(b.login(NO_ROLE, Api.password(NO_ROLE)).location()).endsWith("/adminCenter/");
        assertThat(b.get("/adminCenter/").status()).isEqualTo(403);
        assertThat(b.get(TOOL).status()).isIn(401, 403);
        assertThat(b.xhr(DASHBOARD).status()).isIn(401, 403);
    }

    static List<String> hrefs(JsonArray links) {
        return links.getValuesAs(JsonObject.class).stream()
                .map(l -> l.getString("href"))
                .toList();
    }

    /** Links name the server as its batch runtime knows it (127.0.0.1); the tool keeps path and query. */
    static String pathAndQuery(String href) {
        URI u = URI.create(href);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    static String form(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            b.append(b.isEmpty() ? "" : "&")
                    .append(URLEncoder.encode(kv[i], StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** One browser: its own cookie jar, no credentials but its cookies, redirects seen rather than followed. */
    static final class Browser {

        private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        private final HttpClient http = HttpClient.newBuilder()
                .sslContext(Api.trustingSsl())
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        private final String base = Api.batchUrl().replaceAll("/ibm/api/batch$", "");

        record Page(int status, String body, String location) {
            JsonArray array() {
                try (var r = Json.createReader(new StringReader(body))) {
                    return r.readArray();
                }
            }
        }

        static Browser fresh() {
            return new Browser();
        }

        static Browser loggedInAs(String user) {
            Browser b = new Browser();
            assertThat(b.login(user, Api.password(user)).location()).endsWith("/adminCenter/");
            Page toolbox = b.get("/adminCenter/");
            assertThat(toolbox.status()).as(user + " on the toolbox").isEqualTo(200);
            assertThat(toolbox.body()).contains("toolbox_tab_title");
            return b;
        }

        /**
         * What Admin Center's login page does: it is served with a csrfToken cookie, and its form
         * posts that token back beside the credentials (a double-submit check in Admin Center's filter).
         */
        Page login(String user, String password) {
            Page home = get("/adminCenter/");
            assertThat(home.location()).endsWith("/adminCenter/login.jsp");
            assertThat(get("/adminCenter/login.jsp").status()).isEqualTo(200);
            String token =
                    cookie("csrfToken").orElseThrow(() -> new AssertionError("login page set no csrfToken cookie"));
            Page r = post(
                    "/adminCenter/j_security_check",
                    form("j_username", user, "j_password", password, "X-CSRF-Token", token));
            assertThat(r.status()).as("login of " + user).isEqualTo(302);
            return r;
        }

        Optional<String> cookie(String name) {
            return cookies.getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals(name))
                    .map(HttpCookie::getValue)
                    .findFirst();
        }

        Page get(String path) {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        /** A GET as the tool's dojo/request makes it: cookies and X-Requested-With, no Authorization. */
        Page xhr(String path) {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("X-Requested-With", "XMLHttpRequest")
                    .GET());
        }

        Page post(String path, String form) {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        private Page send(HttpRequest.Builder b) {
            try {
                HttpResponse<String> r =
                        http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                return new Page(
                        r.statusCode(),
                        r.body(),
                        r.headers().firstValue("Location").orElse(""));
            } catch (Exception e) {
                throw new IllegalStateException("request failed: " + e, e);
            }
        }
    }
}
