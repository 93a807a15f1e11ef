package io.vidbatch.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The IT server's life, for the tests that take it down and bring it back (as an operator, or a crash, would). */
final class ItServer {

    private static final Path SERVERS = Path.of("target/liberty/wlp/usr/servers");
    private static final String NAME = "vidbatch-it";

    private ItServer() {}

    /** The IT server's JVM, from the pid file `server start` leaves. */
    static ProcessHandle process() throws IOException {
        long pid = Long.parseLong(
                Files.readString(SERVERS.resolve(".pid/" + NAME + ".pid")).strip());
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        assertThat(p.info().commandLine().orElse("")).contains(NAME);
        return p;
    }

    /** SIGKILL, and waits until it is gone. */
    static void kill() throws Exception {
        ProcessHandle server = process();
        server.destroyForcibly();
        server.onExit().get();
    }

    /** An orderly `server stop`. */
    static void stop() throws Exception {
        run("stop");
    }

    /** Starts the server again if a test left it down, so that one failure does not fail every later test. */
    static void ensureUp() throws Exception {
        try {
            if (Api.as(Api.MONITOR).get(Api.appUrl() + "/api/v1/jobs").status() == 200) {
                return;
            }
        } catch (RuntimeException down) {
            // not answering: start it below
        }
        start();
    }

    /** `server start`, then waits until the application answers (health, and an authenticated API call). */
    static void start() throws Exception {
        run("start");
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://localhost:" + System.getProperty("microshed_http_port") + "/health/ready");
        Waits.await(
                        "the server back: /health/ready and the API answering 200",
                        Duration.ofMinutes(2),
                        Duration.ofMillis(250))
                .until(() -> {
                    try {
                        return http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                                                .statusCode()
                                        == 200
                                && Api.as(Api.MONITOR)
                                                .get(Api.appUrl() + "/api/v1/jobs")
                                                .status()
                                        == 200;
                    } catch (IOException | RuntimeException notYet) {
                        return false; // not listening yet
                    }
                });
    }

    /** Sends a signal (STOP, CONT, ...) to a process. */
    static void signal(String signal, ProcessHandle p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    /** The log of the server's current start (Liberty renames the previous one as it starts). */
    static Path messagesLog() {
        return SERVERS.resolve(NAME + "/logs/messages.log");
    }

    private static void run(String action) throws Exception {
        ProcessBuilder b = new ProcessBuilder(List.of("target/liberty/wlp/bin/server", action, NAME))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        assertThat(b.start().waitFor()).as("server " + action + " exit code").isZero();
    }

    /** A process's environment, from /proc: what it was started with (nothing once it has ended). */
    static List<String> environment(ProcessHandle p) throws IOException {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
        } catch (java.nio.file.NoSuchFileException gone) {
            return List.of();
        }
        return List.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
    }

    /** Running, as opposed to gone or dead and waiting to be reaped (a zombie, state Z). */
    static boolean running(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }
}
