package io.vidbatch.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every HTTP door of a production server, Liberty's and ours, tried the way a client would: a
 * server of its own (not the IT server, which runs the development profile with its test users)
 * with strong random passwords, and a second one given the development passwords.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionDoorsIT {

    static final int HTTP = Integer.getInteger("vidbatch.it.doors.http.port", 29080);
    static final int HTTPS = Integer.getInteger("vidbatch.it.doors.https.port", 29443);

    /** Doors that take a user's password (HTTP Basic), each with a user whose roles let them through. */
    static final Map<String, String> PASSWORD_DOORS = passwordDoors();
    /** Doors that take no password: health (Kubernetes' probes), the API's description, the console's page. */
    static final List<String> OPEN_DOORS =
            List.of("/health/ready", "/health/live", "/openapi", "/openapi/ui/", "/vidbatch/console/");
    /** Sign-in forms: Admin Center's and the console's. */
    static final List<String> SIGN_INS = List.of("/adminCenter/j_security_check", "/vidbatch/session");
    /** The passwords every copy of vidbatch ships with (profile/development.xml). */
    static final Map<String, String> DEVELOPMENT = Map.of(
            Api.ADMIN,
            "admin-dev",
            Api.SUBMITTER,
            "submitter-dev",
            Api.MONITOR,
            "monitor-dev",
            "scheduler",
            "scheduler-dev");

    private static Map<String, String> passwordDoors() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("/ibm/api/batch/jobinstances", Api.ADMIN); // Liberty's batch API
        m.put("/ibm/api/config", Api.ADMIN); // Liberty's configuration API (Admin Center's)
        m.put("/IBMJMXConnectorREST/mbeans", Api.ADMIN); // Liberty's JMX over REST (Admin Center's)
        m.put("/ibm/adminCenter/javaBatch-1.0/", Api.MONITOR);
        m.put("/ibm/adminCenter/explore-1.0/", Api.ADMIN);
        m.put("/ibm/adminCenter/serverConfig-1.0/", Api.ADMIN);
        m.put("/metrics", Api.MONITOR);
        m.put("/vidbatch/api/v1/jobs", Api.SUBMITTER); // our API
        m.put("/vidbatch/session", Api.SUBMITTER); // the console's "who is signed in"
        return m;
    }

    private final HttpClient http = HttpClient.newBuilder()
            .sslContext(Api.trustingSsl())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, String> strong = new HashMap<>();
    private ProductionServer server;

    @BeforeAll
    void startAProductionServerWithRealPasswords() throws Exception {
        SecureRandom random = new SecureRandom();
        for (String user : DEVELOPMENT.keySet()) {
            strong.put(user, new BigInteger(160, random).toString(36));
        }
        server = ProductionServer.create(
                "vidbatch-doors", HTTP, HTTPS, environment(strong, new BigInteger(160, random).toString(36)));
        server.start();
        assertThat(server.awaitConsole("CWWKF0011I", Duration.ofMinutes(4)))
                .as("the server started; its console:\n%s", server.consoleText())
                .isPresent();
        // Liberty opens its ports after the application has started; readiness also needs the database.
        Waits.await(
                        "/health/ready answering 200 within a minute of starting",
                        Duration.ofMinutes(1),
                        Duration.ofMillis(250))
                .until(() -> {
                    if (answer("https", "/health/ready", null, null) == 200) {
                        return true;
                    }
                    assertThat(server.running())
                            .as("the server exited; its console:\n%s", server.consoleText())
                            .isTrue();
                    return false;
                });
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void plainHttpServesNoDoorAtAll() throws Exception {
        // HTTP_PORT was given: the production profile does not open it whatever the environment says.
        for (String path : allPaths()) {
            assertThat(answer("http", path, Api.ADMIN, strong.get(Api.ADMIN)))
                    .as("http://...:" + HTTP + path)
                    .isEqualTo(REFUSED);
        }
        String log = server.messagesLog();
        assertThat(log)
                .contains("CWWKO0219I: TCP Channel defaultHttpEndpoint-ssl has been started")
                .doesNotContain("CWWKO0219I: TCP Channel defaultHttpEndpoint has been started");
    }

    @Test
    void everyPasswordDoorRefusesEveryDevelopmentPassword() throws Exception {
        for (String door : PASSWORD_DOORS.keySet()) {
            for (Map.Entry<String, String> dev : DEVELOPMENT.entrySet()) {
                assertThat(answer("https", door, dev.getKey(), dev.getValue()))
                        .as(dev.getKey() + " on " + door)
                        .isEqualTo(401);
            }
        }
        for (Map.Entry<String, String> dev : DEVELOPMENT.entrySet()) {
            assertThat(adminCenterSignIn(dev.getKey(), dev.getValue()))
                    .as("Admin Center as " + dev.getKey())
                    .endsWith("/adminCenter/login.jsp?login-error");
            assertThat(consoleSignIn(dev.getKey(), dev.getValue()))
                    .as("console as " + dev.getKey())
                    .isEqualTo(401);
        }
    }

    @Test
    void everyPasswordDoorLetsItsUserInWithTheRealPassword() throws Exception {
        for (Map.Entry<String, String> door : PASSWORD_DOORS.entrySet()) {
            assertThat(answer("https", door.getKey(), door.getValue(), strong.get(door.getValue())))
                    .as(door.getValue() + " on " + door.getKey())
                    .isEqualTo(200);
        }
        assertThat(adminCenterSignIn(Api.ADMIN, strong.get(Api.ADMIN))).endsWith("/adminCenter/");
        assertThat(consoleSignIn(Api.SUBMITTER, strong.get(Api.SUBMITTER))).isEqualTo(200);
    }

    @Test
    void theDoorsWithoutAPasswordAnswerOverHttpsAndADevelopmentPasswordChangesNothing() throws Exception {
        for (String door : OPEN_DOORS) {
            assertThat(answer("https", door, null, null)).as(door).isEqualTo(200);
            assertThat(answer("https", door, Api.ADMIN, "admin-dev"))
                    .as(door + " as admin-dev")
                    .isEqualTo(200);
        }
    }

    @Test
    void developmentPasswordsStopTheServerBeforeItOpensAnyDoor() throws Exception {
        // Its own ports: this test may run while the first server is up.
        ProductionServer dev = ProductionServer.create(
                "vidbatch-doors-dev", HTTP + 1, HTTPS + 1, environment(DEVELOPMENT, "vidbatch-dev-keystore"));
        try {
            long started = System.nanoTime();
            dev.start();
            // Knock on every door, both schemes, with a development password, until the server has gone.
            List<String> answered = new ArrayList<>();
            long end = started + Duration.ofMinutes(4).toNanos();
            do {
                for (String path : allPaths()) {
                    for (String scheme : List.of("http", "https")) {
                        int port = (scheme.equals("http") ? HTTP : HTTPS) + 1;
                        int status = answer(scheme, port, path, Api.ADMIN, "admin-dev");
                        if (status != REFUSED) {
                            answered.add(scheme + " " + path + " " + status);
                        }
                    }
                }
            } while (answered.isEmpty() && !dev.awaitExit(Duration.ofMillis(200)) && System.nanoTime() < end);
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(answered).as("doors that answered").isEmpty();
            assertThat(dev.running())
                    .as("still running after 4 minutes; its console:\n%s", dev.consoleText())
                    .isFalse();
            assertThat(dev.exitStatus()).as("exit status (EX_CONFIG)").isEqualTo(78);
            String reason = dev.consoleText()
                    .lines()
                    .filter(l -> l.contains("vidbatch will not start"))
                    .findFirst()
                    .orElse("");
            assertThat(reason)
                    .contains(
                            "vidbatch will not start, and stops the server: ",
                            "ADMIN_PASSWORD is still the development default",
                            "SUBMITTER_PASSWORD is still the development default",
                            "MONITOR_PASSWORD is still the development default",
                            "SCHEDULER_PASSWORD is still the development default",
                            "KEYSTORE_PASSWORD is still the development default");
            DEVELOPMENT.values().forEach(p -> assertThat(reason).doesNotContain(p));
            String log = dev.messagesLog();
            assertThat(log)
                    .contains("vidbatch will not start, and stops the server: ")
                    .doesNotContain("CWWKO0219I");
            Report.row(
                    "faults",
                    "production profile started with the development passwords",
                    String.format(
                            "the server stops during start (exit 78, %.0f s) before Liberty opens a port: every door, "
                                    + "HTTP and HTTPS, refused the connection; the log names the 5 settings to change, not their values",
                            seconds));
        } finally {
            dev.stop();
        }
    }

    /** The server's environment: the profile's passwords. */
    private static Map<String, String> environment(Map<String, String> passwords, String keystore) {
        Map<String, String> env = new HashMap<>();
        passwords.forEach((user, password) -> env.put(user.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD", password));
        env.put("KEYSTORE_PASSWORD", keystore);
        return env;
    }

    private static List<String> allPaths() {
        return Stream.of(
                        PASSWORD_DOORS.keySet().stream(),
                        OPEN_DOORS.stream(),
                        SIGN_INS.stream(),
                        Stream.of("/adminCenter/"))
                .flatMap(s -> s)
                .toList();
    }

    /** What {@link #answer} gives when nothing listens: the connection was refused. */
    static final int REFUSED = -1;

    private int answer(String scheme, String path, String user, String password) throws InterruptedException {
        return answer(scheme, scheme.equals("http") ? HTTP : HTTPS, path, user, password);
    }

    /** The status of a GET, as {@code user} if one is given; {@link #REFUSED} if no connection could be made. */
    private int answer(String scheme, int port, String path, String user, String password) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (user != null) {
            b.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (ConnectException refused) {
            return REFUSED;
        } catch (IOException e) {
            throw new AssertionError(scheme + "://localhost:" + port + path + ": " + e, e);
        }
    }

    /**
     * Admin Center's sign-in as its page does it: the login page sets a csrfToken cookie, the form
     * posts it back beside the credentials. Returns where Admin Center sends the browser next.
     */
    private String adminCenterSignIn(String user, String password) throws Exception {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient browser = HttpClient.newBuilder()
                .sslContext(Api.trustingSsl())
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String base = "https://localhost:" + HTTPS;
        assertThat(browser.send(
                                HttpRequest.newBuilder(URI.create(base + "/adminCenter/login.jsp"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(200);
        String token = cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("csrfToken"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no csrfToken cookie"));
        HttpResponse<Void> r = browser.send(
                HttpRequest.newBuilder(URI.create(base + "/adminCenter/j_security_check"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                AdminCenterIT.form("j_username", user, "j_password", password, "X-CSRF-Token", token)))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).as("Admin Center's answer to " + user).isEqualTo(302);
        String next = r.headers().firstValue("Location").orElse("");
        if (next.endsWith("/adminCenter/")) {
            // Signed in: the toolbox itself opens.
            assertThat(browser.send(
                                    HttpRequest.newBuilder(URI.create(base + "/adminCenter/"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .as("toolbox for " + user)
                    .isEqualTo(200);
        }
        return next;
    }

    /** The console's sign-in form; its status. */
    private int consoleSignIn(String user, String password) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS + "/vidbatch/session"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        AdminCenterIT.form("user", user, "password", password)))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
