package io.vidbatch.it;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks end to end, on a server of its own: a receiver on loopback takes the CloudEvents and
 * checks every signature as a receiver would (Standard Webhooks: HMAC-SHA256 over id, timestamp
 * and body). Job ends (completed, partial, failed) and a failed schedule run arrive; then the
 * receiver goes away, a job ends and a schedule fails while it is away, the coordinator is killed
 * (SIGKILL) and started again, the receiver comes back: every event arrives, and one the receiver
 * refused once arrives again with the same id and body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksIT {

    private static final int HTTP = Integer.getInteger("vidbatch.it.webhooks.http.port", 29380);
    private static final int HTTPS = Integer.getInteger("vidbatch.it.webhooks.https.port", 29743);
    private static final String NAME = "vidbatch-webhooks";
    private static final Path OUTPUTS = Path.of("target/it/webhooks-outputs").toAbsolutePath();
    private static final String DIR = Jobs.dir("webhooks");
    private static final String SAMPLE = "samples/screen-480p-noaudio.mp4";

    private final Api.Server server =
            new Api.Server("https://localhost:" + HTTPS + "/vidbatch", "https://localhost:" + HTTPS + "/ibm/api/batch");
    private final Jobs jobs = Jobs.on(server);
    private final Api admin = Api.as(Api.ADMIN);
    private final String secret = new BigInteger(256, new SecureRandom()).toString(36);
    /** Every delivery the receiver took, in order: id, timestamp, signature, body. */
    private final List<Received> received = new ArrayList<>();

    private ProductionServer process;
    private HttpServer receiver;
    private int receiverPort;

    record Received(String id, String timestamp, String signature, String body) {
        JsonObject event() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readObject();
            }
        }
    }

    @BeforeAll
    void start() throws Exception {
        Files.createDirectories(OUTPUTS);
        Path dir = Files.createDirectories(Jobs.inputs().resolve(DIR));
        Files.writeString(dir.resolve("notes.mp4"), "not a video, whatever its name says\n");
        Files.createDirectories(dir.resolve("watched"));
        receiverPort = startReceiver(0);
        process = ProductionServer.create(
                NAME,
                HTTP,
                HTTPS,
                Map.of(
                        "VIDBATCH_PROFILE", "development",
                        "INPUT_ROOTS", Jobs.inputs().toAbsolutePath().toString(),
                        "OUTPUT_ROOT", OUTPUTS.toString(),
                        // Look at the outbox every second, retry after 1 s, then 2 s at most: the
                        // defaults (2 s, 10 s doubling to 15 min) would make this test wait minutes.
                        "WEBHOOKS_POLL_SECONDS", "1",
                        "WEBHOOKS_RETRY_SECONDS", "1",
                        "WEBHOOKS_RETRY_MAX_SECONDS", "2"));
        startServer();
    }

    @AfterAll
    void stop() throws Exception {
        if (process != null) {
            process.stop();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void everyEventArrivesSignedAcrossAReceiverOutageAndACoordinatorKill() throws Exception {
        String url = "http://127.0.0.1:" + receiverPort + "/hook";
        Api.Reply put = admin.put(
                server.appUrl() + "/api/v1/webhooks/pipeline",
                Json.createObjectBuilder()
                        .add("url", url)
                        .add("secret", secret)
                        .build()
                        .toString());
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(put.body()).as("the secret is never shown").doesNotContain(secret);
        assertThat(Api.as(Api.SUBMITTER)
                        .put(server.appUrl() + "/api/v1/webhooks/other", "{\"url\":\"" + url + "\"}")
                        .status())
                .as("only batchAdmin registers endpoints")
                .isEqualTo(403);
        Api.Reply unknown = Api.as(Api.SUBMITTER)
                .post(
                        server.appUrl() + "/api/v1/jobs",
                        Jobs.body("inputs", List.of(SAMPLE), "notify", "nobody", "dryRun", "true"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("notify", "no webhook named nobody");

        // The three ends of a job.
        long completed = jobs.post(Jobs.body(
                "inputs", List.of(SAMPLE), "outputDir", Jobs.dir("webhooks-completed"), "notify", "pipeline"));
        long partial = jobs.post(Jobs.body(
                "inputs",
                List.of(SAMPLE, DIR + "/notes.mp4"),
                "outputDir",
                Jobs.dir("webhooks-partial"),
                "notify",
                "pipeline"));
        long failed = jobs.post(Jobs.body(
                "inputs", List.of(DIR + "/notes.mp4"), "outputDir", Jobs.dir("webhooks-failed"), "notify", "pipeline"));
        // A schedule whose run fails: its watched folder went away after it was saved.
        Path watched = Jobs.inputs().resolve(DIR).resolve("watched");
        Api.Reply saved = admin.put(
                server.appUrl() + "/api/v1/schedules/inbox",
                Json.createObjectBuilder()
                        .add("cron", "0 3 * * *")
                        .add("watch", true)
                        .add("enabled", false)
                        .add(
                                "job",
                                Json.createObjectBuilder()
                                        .add("inputs", Json.createArrayBuilder().add(DIR + "/watched"))
                                        .add("notify", "pipeline"))
                        .build()
                        .toString());
        assertThat(saved.status()).as(saved.body()).isIn(200, 201);
        Files.delete(watched);
        Api.Reply run = admin.post(server.appUrl() + "/api/v1/schedules/inbox/runs", "");
        assertThat(run.status()).as(run.body()).isEqualTo(409);

        Map<String, Received> first = awaitEvents(Map.of(
                "io.vidbatch.job.completed", completed,
                "io.vidbatch.job.partial", partial,
                "io.vidbatch.job.failed", failed,
                "io.vidbatch.schedule.failed", -1L));
        JsonObject partialEvent = first.get("io.vidbatch.job.partial").event();
        assertThat(partialEvent.getString("specversion")).isEqualTo("1.0");
        assertThat(partialEvent.getString("source")).isEqualTo("/vidbatch/api/v1/jobs");
        assertThat(partialEvent.getJsonObject("data").getString("status")).isEqualTo("COMPLETED");
        assertThat(partialEvent.getJsonObject("data").getString("outcome")).isEqualTo("PARTIAL");
        assertThat(partialEvent.getJsonObject("data").getString("submitter")).isEqualTo(Api.SUBMITTER);
        assertThat(first.get("io.vidbatch.job.failed")
                        .event()
                        .getJsonObject("data")
                        .getString("status"))
                .isEqualTo("FAILED");
        assertThat(first.get("io.vidbatch.schedule.failed")
                        .event()
                        .getJsonObject("data")
                        .getString("message"))
                .contains("watched");

        // The receiver goes away; a job ends and the schedule fails again meanwhile.
        receiver.stop(0);
        Files.createDirectories(watched);
        long whileAway = jobs.post(
                Jobs.body("inputs", List.of(SAMPLE), "outputDir", Jobs.dir("webhooks-away"), "notify", "pipeline"));
        jobs.awaitEnd(whileAway, Duration.ofMinutes(3));
        Files.delete(watched);
        assertThat(admin.post(server.appUrl() + "/api/v1/schedules/inbox/runs", "")
                        .status())
                .isEqualTo(409);
        // While the endpoint is down, its deliveries wait, each with why (one tried and refused, the
        // others not tried after it in the same round).
        JsonObject waiting = Waits.await(
                        "job " + whileAway + "'s delivery waiting with an error",
                        Duration.ofMinutes(1),
                        Duration.ofMillis(250))
                .until(
                        () -> deliveries(whileAway).stream()
                                .map(JsonObject.class::cast)
                                .filter(d -> !d.isNull("lastError"))
                                .findFirst()
                                .orElse(null),
                        Objects::nonNull);
        assertThat(waiting.getString("state")).isEqualTo("PENDING");

        // The coordinator dies and starts again; then the receiver is back.
        process.kill();
        startServer();
        startReceiver(receiverPort);
        Map<String, Received> later = awaitEvents(Map.of("io.vidbatch.job.completed", whileAway));
        awaitEvents(Map.of("io.vidbatch.schedule.failed", -1L), 2);

        JsonObject delivered = Waits.await(
                        "job " + whileAway + "'s end marked delivered", Duration.ofMinutes(1), Duration.ofMillis(250))
                .until(
                        () -> deliveries(whileAway).stream()
                                .map(JsonObject.class::cast)
                                .filter(d -> d.getString("state").equals("DELIVERED"))
                                .findFirst()
                                .orElse(null),
                        Objects::nonNull);
        assertThat(delivered.getInt("attempts")).isPositive();
        assertThat(delivered.getString("id"))
                .isEqualTo(later.get("io.vidbatch.job.completed").id());

        // Every delivery signed with the endpoint's secret; the same id always with the same body.
        Map<String, String> bodies = new HashMap<>();
        List<String> ids = new ArrayList<>();
        synchronized (received) {
            for (Received r : received) {
                assertThat(r.signature()).as(r.id()).isEqualTo(sign(r.id(), r.timestamp(), r.body()));
                assertThat(r.event().getString("id")).isEqualTo(r.id());
                assertThat(bodies.putIfAbsent(r.id(), r.body()) == null
                                || bodies.get(r.id()).equals(r.body()))
                        .as("a duplicate of %s carries the same body", r.id())
                        .isTrue();
                ids.add(r.id());
            }
        }
        assertThat(ids.size())
                .as("the delivery refused once (the receiver's first) came again")
                .isGreaterThan(bodies.size());
    }

    private void startServer() throws Exception {
        process.startReady(HTTPS);
    }

    /**
     * A receiver that records every request and answers 204, except the very first request of
     * this test, which it records and then answers 500: the sender must try that one again.
     */
    private int startReceiver(int port) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean firstEver;
            synchronized (received) {
                firstEver = received.isEmpty();
                received.add(new Received(
                        exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"),
                        body));
                received.notifyAll();
            }
            exchange.sendResponseHeaders(firstEver ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
        return receiver.getAddress().getPort();
    }

    /** Waits for one event of each type (for a job, of that job), and returns the first of each. */
    private Map<String, Received> awaitEvents(Map<String, Long> wanted) throws InterruptedException {
        return awaitEvents(wanted, 1);
    }

    /** As above, with at least {@code count} distinct events of each type. */
    private Map<String, Received> awaitEvents(Map<String, Long> wanted, int count) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        synchronized (received) {
            while (true) {
                Map<String, Received> found = new LinkedHashMap<>();
                boolean all = true;
                for (Map.Entry<String, Long> w : wanted.entrySet()) {
                    List<Received> matching = received.stream()
                            .filter(r -> r.event().getString("type").equals(w.getKey()))
                            .filter(r -> w.getValue() < 0
                                    || r.event()
                                                    .getJsonObject("data")
                                                    .getJsonNumber("job")
                                                    .longValue()
                                            == w.getValue())
                            .toList();
                    long distinct =
                            matching.stream().map(Received::id).distinct().count();
                    if (distinct >= count) {
                        found.put(w.getKey(), matching.get(matching.size() - 1));
                    } else {
                        all = false;
                    }
                }
                if (all) {
                    return found;
                }
                long left = end - System.nanoTime();
                assertThat(left)
                        .as(
                                "events %s within 3 minutes; received:\n%s",
                                wanted,
                                String.join(
                                        "\n",
                                        received.stream().map(Received::body).toList()))
                        .isPositive();
                received.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private JsonArray deliveries(long job) {
        Api.Reply r = admin.get(server.appUrl() + "/api/v1/jobs/" + job + "/deliveries");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readArray();
        }
    }

    private String sign(String id, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1,"
                + Base64.getEncoder()
                        .encodeToString(
                                mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }
}
