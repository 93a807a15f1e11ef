package io.vidbatch.notify;

import com.sun.net.httpserver.HttpServer;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One round of the dispatcher against real endpoints on loopback and an in-memory Derby outbox:
 * what a misbehaving endpoint may and may not do to the others.
 */
class DispatcherTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private WebhookStore store;
    private Dispatcher dispatcher;
    private HttpServer server;
    private final AtomicInteger okCalls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:dispatch-" + UUID.randomUUID());
        ds.setCreateDatabase("create");
        store = NotifierTestAccess.store(ds);
        dispatcher = new Dispatcher();
        dispatcher.store = store;
        dispatcher.retrySeconds = 10;
        dispatcher.retryMaxSeconds = 900;
        dispatcher.retryHours = 72;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/ok", ex -> {
            ex.getRequestBody().readAllBytes();
            okCalls.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        // Answers 200 with a body it promises and never sends (until the test ends).
        server.createContext("/stall", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 1_000_000);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            try {
                release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        server.stop(0);
    }

    @Test
    @Timeout(60)
    void anEndpointThatAnswersAndThenStallsDoesNotHoldTheOthers() throws Exception {
        register("stall", "http://127.0.0.1:" + server.getAddress().getPort() + "/stall");
        register("ok", "http://127.0.0.1:" + server.getAddress().getPort() + "/ok");
        store.enqueue(event(), List.of("stall"), Instant.now().minusSeconds(2));
        store.enqueue(event(), List.of("ok"), Instant.now().minusSeconds(1));

        dispatcher.poll();

        assertThat(state("stall")).as("2xx: delivered, its body never read").isEqualTo(WebhookStore.DELIVERED);
        assertThat(state("ok")).isEqualTo(WebhookStore.DELIVERED);
    }

    @Test
    void aDeadEndpointCostsOneAttemptARoundAndTheOthersStillGetTheirs() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // free again when closed: nothing listens there
        }
        register("dead", "http://127.0.0.1:" + closed + "/hook");
        register("ok", "http://127.0.0.1:" + server.getAddress().getPort() + "/ok");
        for (int i = 0; i < 5; i++) {
            store.enqueue(event(), List.of("dead"), Instant.now().minusSeconds(10 - i));
        }
        store.enqueue(event(), List.of("ok"), Instant.now().minusSeconds(1));

        dispatcher.poll();

        List<WebhookStore.Delivery> dead = store.toEndpoint("dead", 10);
        assertThat(dead).extracting(WebhookStore.Delivery::attempts).containsExactlyInAnyOrder(1, 0, 0, 0, 0);
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.state()).isEqualTo(WebhookStore.PENDING);
            assertThat(d.nextAt()).as("all wait for the endpoint's next try").isAfter(Instant.now());
            assertThat(d.lastError()).as("each says why").isNotBlank();
        });
        assertThat(dead.stream()
                        .filter(d -> d.attempts() == 1)
                        .findFirst()
                        .orElseThrow()
                        .created())
                .as("the oldest event is the one tried")
                .isEqualTo(dead.stream()
                        .map(WebhookStore.Delivery::created)
                        .min(Instant::compareTo)
                        .orElseThrow());
        assertThat(state("ok")).isEqualTo(WebhookStore.DELIVERED);
        assertThat(okCalls.get()).isEqualTo(1);
    }

    @Test
    void aRowThatCannotBeSentIsAFailedAttemptNotABlock() throws Exception {
        // Stored before the API checked ports: the JDK refuses to send to it.
        store.put(new Webhook("bad", URI.create("http://127.0.0.1:99999/hook"), SECRET, Instant.now()));
        register("ok", "http://127.0.0.1:" + server.getAddress().getPort() + "/ok");
        store.enqueue(event(), List.of("bad"), Instant.now().minusSeconds(2));
        store.enqueue(event(), List.of("ok"), Instant.now().minusSeconds(1));

        dispatcher.poll();

        WebhookStore.Delivery bad = store.toEndpoint("bad", 1).get(0);
        assertThat(bad.state()).isEqualTo(WebhookStore.PENDING);
        assertThat(bad.attempts()).isEqualTo(1);
        assertThat(bad.lastError()).contains("port out of range");
        assertThat(state("ok")).isEqualTo(WebhookStore.DELIVERED);
        assertThat(Webhook.urlProblem("http://127.0.0.1:99999/hook")).contains("port");
    }

    private void register(String name, String url) throws Exception {
        assertThat(Webhook.urlProblem(url)).isNull();
        store.put(new Webhook(name, URI.create(url), SECRET, Instant.now()));
    }

    private String state(String endpoint) throws Exception {
        return store.toEndpoint(endpoint, 1).get(0).state();
    }

    private static Event event() {
        return Event.jobEnded(1, 1, "submitter", "COMPLETED", "ALL DONE", "ALL_DONE", Instant.now());
    }

    static {
        // Keeps Derby's log out of the working directory.
        System.setProperty("derby.stream.error.field", "java.lang.System.err");
    }
}
