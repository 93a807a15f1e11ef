package io.vidbatch.it;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Liberty server of the production configuration, beside the IT server: its own folder in the
 * Liberty install the build made (server.xml, profiles and jvm.options straight from
 * src/main/liberty/config, none of the IT server's test users), the packaged WAR, and only the
 * environment given here. Run in the foreground (`server run`, as the coordinator image does), so
 * its exit status is the JVM's and its console is read line by line as it comes.
 */
final class ProductionServer {

    private static final Path WLP = Path.of("target/liberty/wlp");
    /** Settings the server's environment may carry over from Maven's: what Java and ffmpeg need, nothing of Liberty's. */
    private static final List<String> KEPT = List.of("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR");

    private final String name;
    private final Map<String, String> env;
    private final List<String> console = new ArrayList<>();
    private boolean consoleEnded;
    private Process process;

    private ProductionServer(String name, Map<String, String> env) {
        this.name = name;
        this.env = env;
    }

    /**
     * A fresh server folder {@code name} under the production profile, on these ports (the HTTP
     * port is asked for: the profile must refuse it) with these settings added (passwords).
     */
    static ProductionServer create(String name, int httpPort, int httpsPort, Map<String, String> settings)
            throws IOException {
        Path dir = WLP.resolve("usr/servers/" + name);
        deleteTree(dir);
        copyTree(Path.of("src/main/liberty/config"), dir);
        // The JDBC drivers the build put beside the IT server, and the WAR the build packaged.
        copyTree(WLP.resolve("usr/servers/vidbatch-it/jdbc"), dir.resolve("jdbc"));
        Files.createDirectories(dir.resolve("apps"));
        Files.copy(Path.of("target/vidbatch.war"), dir.resolve("apps/vidbatch.war"));
        // Readiness needs a writable output root; the defaults are under the server's folder.
        Files.createDirectories(dir.resolve("media/inputs"));
        Files.createDirectories(dir.resolve("media/outputs"));
        Map<String, String> env = new HashMap<>();
        KEPT.forEach(k -> Optional.ofNullable(System.getenv(k)).ifPresent(v -> env.put(k, v)));
        env.put("VIDBATCH_PROFILE", "production");
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("HTTPS_PORT", Integer.toString(httpsPort));
        env.putAll(settings);
        return new ProductionServer(name, env);
    }

    /** `server run` (again after a stop or kill); the console goes to target/production-doors/{name}.log as well. */
    void start() throws IOException {
        ProcessBuilder b =
                new ProcessBuilder(WLP.resolve("bin/server").toString(), "run", name).redirectErrorStream(true);
        b.environment().clear();
        b.environment().putAll(env);
        Path log = Path.of("target/production-doors/" + name + ".log");
        Files.createDirectories(log.getParent());
        synchronized (console) {
            // A new run: its console is what awaitConsole reads, not the last run's.
            console.clear();
            consoleEnded = false;
        }
        process = b.start();
        Writer copy = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> read(copy), name + " console");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the server and waits until it answers {@code /health/ready} on {@code httpsPort};
     * fails with its console if it exits or never gets there.
     */
    void startReady(int httpsPort) throws Exception {
        start();
        org.assertj.core.api.Assertions.assertThat(awaitConsole("CWWKF0011I", Duration.ofMinutes(4)))
                .as("%s started; its console:\n%s", name, consoleText())
                .isPresent();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/health/ready"))
                .timeout(Duration.ofSeconds(10))
                .build();
        Waits.await(name + " ready", Duration.ofMinutes(1), Duration.ofMillis(250))
                .until(() -> {
                    org.assertj.core.api.Assertions.assertThat(running())
                            .as("%s exited; its console:\n%s", name, consoleText())
                            .isTrue();
                    try {
                        return PROBE.send(ready, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException notYet) {
                        return false; // the HTTPS port opens once the application has started
                    }
                });
    }

    /**
     * Readiness only: any certificate, any name (a test's server may present one from a "Secret"
     * naming a Service, not localhost); what the tests check goes through their own clients.
     */
    private static final HttpClient PROBE = HttpClient.newBuilder()
            .sslContext(anyCertificate())
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static SSLContext anyCertificate() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new AnyCertificate()}, null);
            return ssl;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Extended, so that the JDK adds no host name check of its own. */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        public void checkClientTrusted(X509Certificate[] c, String a) {}

        public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

        public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

        public void checkServerTrusted(X509Certificate[] c, String a) {}

        public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

        public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private void read(Writer copy) {
        try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                copy) {
            for (String line; (line = r.readLine()) != null; ) {
                copy.write(line + "\n");
                copy.flush();
                synchronized (console) {
                    console.add(line);
                    console.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process went; what was read is kept
        } finally {
            synchronized (console) {
                consoleEnded = true;
                console.notifyAll();
            }
        }
    }

    /** Waits for a console line containing {@code text} and returns it; empty if the console ended (the server exited) first. */
    Optional<String> awaitConsole(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (console) {
            for (int seen = 0; ; ) {
                for (; seen < console.size(); seen++) {
                    if (console.get(seen).contains(text)) {
                        return Optional.of(console.get(seen));
                    }
                }
                long left = end - System.nanoTime();
                if (consoleEnded) {
                    return Optional.empty();
                }
                if (left <= 0) {
                    throw new AssertionError("no '" + text + "' on " + name + "'s console within " + timeout
                            + "; last lines:\n" + tail());
                }
                console.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    /** The console so far. */
    String consoleText() {
        synchronized (console) {
            return String.join("\n", console);
        }
    }

    private String tail() {
        synchronized (console) {
            return String.join("\n", console.subList(Math.max(0, console.size() - 20), console.size()));
        }
    }

    boolean running() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the server to end by itself; true if it did. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitStatus() {
        return process.exitValue();
    }

    /** Liberty's messages.log of this run. */
    String messagesLog() throws IOException {
        return Files.readString(WLP.resolve("usr/servers/" + name + "/logs/messages.log"));
    }

    /** SIGKILL: the coordinator dies as a node loss or an OOM kill leaves it, with no chance to tidy up. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGTERM, which Liberty takes as an orderly stop; waits for the JVM to end. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
