package io.vidbatch.notify;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends what the outbox holds: every few seconds, each delivery that is due is posted to its
 * endpoint, signed; a 2xx answer marks it delivered, anything else makes it due again later,
 * twice as late each time (with jitter, so endpoints coming back are not hit all at once), until
 * the retry window has passed. A coordinator that restarts carries on from the table.
 */
@Singleton
@Startup
// One round at a time is kept by `busy`; container locking would only queue timer threads behind it.
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
// Under the production profile the guard may stop the server: nothing is sent before it has spoken.
@DependsOn("ProductionGuard")
@TransactionManagement(TransactionManagementType.BEAN) // each row is updated on its own, outside any transaction
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final int BATCH = 50;

    @Resource
    TimerService timers;

    @Inject
    WebhookStore store;

    @Inject
    @ConfigProperty(name = "webhooks.poll.seconds", defaultValue = "2")
    int pollSeconds;

    @Inject
    @ConfigProperty(name = "webhooks.retry.seconds", defaultValue = "10")
    int retrySeconds;

    @Inject
    @ConfigProperty(name = "webhooks.retry.max.seconds", defaultValue = "900")
    int retryMaxSeconds;

    @Inject
    @ConfigProperty(name = "webhooks.retry.hours", defaultValue = "72")
    int retryHours;

    /** Never follows a redirect: an endpoint is the URL an administrator registered, nothing else. */
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            // HTTP/1.1: an http:// endpoint then gets no h2c Upgrade header, which some servers mishandle.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final AtomicBoolean busy = new AtomicBoolean();

    @PostConstruct
    void start() {
        long every = Duration.ofSeconds(Math.max(1, pollSeconds)).toMillis();
        // Not persistent: the outbox is the state; the timer only says when to look at it.
        timers.createIntervalTimer(every, every, new TimerConfig(null, false));
    }

    @Timeout
    void poll() {
        if (!busy.compareAndSet(false, true)) {
            return; // the previous round still sends
        }
        try {
            // An endpoint that fails once in a round is not tried again in it: its other deliveries
            // wait for its next try, so one dead endpoint costs one timeout a round, not one per event.
            Map<String, Instant> failing = new HashMap<>();
            for (WebhookStore.Delivery d : store.due(Instant.now(), BATCH)) {
                if (failing.containsKey(d.endpoint())) {
                    continue; // postponed with the rest of its endpoint's backlog
                }
                Instant next = attemptSafely(d);
                if (next != null) {
                    failing.put(d.endpoint(), next);
                    store.postpone(
                            d.endpoint(),
                            Instant.now(),
                            next,
                            "not tried: the endpoint failed another delivery just before");
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "webhook deliveries: cannot read the outbox; trying again shortly", e);
        } finally {
            busy.set(false);
        }
    }

    /**
     * One attempt; when it failed, the time its endpoint is next tried, else null. Whatever goes
     * wrong counts as a failed attempt of this delivery, so no row can stop the ones behind it.
     */
    private Instant attemptSafely(WebhookStore.Delivery d) throws SQLException {
        try {
            return attempt(d);
        } catch (RuntimeException e) {
            Instant now = Instant.now();
            Instant next = now.plus(backoff(d.attempts() + 1));
            store.attempted(d, WebhookStore.PENDING, now, next, e.toString());
            return next;
        }
    }

    private Instant attempt(WebhookStore.Delivery d) throws SQLException {
        Webhook endpoint = store.named(d.endpoint()).orElse(null);
        Instant now = Instant.now();
        if (endpoint == null) {
            store.attempted(d, WebhookStore.FAILED, now, now, "the webhook " + d.endpoint() + " was deleted");
            return null;
        }
        String error = send(endpoint, d, now);
        Instant after = Instant.now();
        if (error == null) {
            store.attempted(d, WebhookStore.DELIVERED, after, after, null);
            return null;
        }
        Instant next = after.plus(backoff(d.attempts() + 1));
        if (next.isAfter(d.created().plus(Duration.ofHours(retryHours)))) {
            store.attempted(
                    d,
                    WebhookStore.FAILED,
                    after,
                    after,
                    "given up after " + (d.attempts() + 1) + " attempts over " + retryHours + " h; last: " + error);
            LOG.warning(() -> "webhook " + d.endpoint() + ": gave up delivering " + d.type() + " " + d.subject() + " ("
                    + d.id() + "): " + error);
        } else {
            store.attempted(d, WebhookStore.PENDING, after, next, error);
        }
        return next;
    }

    /** Null when delivered, else what went wrong. */
    private String send(Webhook endpoint, WebhookStore.Delivery d, Instant now) {
        long timestamp = now.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(endpoint.url())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header("User-Agent", "vidbatch-webhooks")
                .header("webhook-id", d.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", Signature.of(endpoint.secret(), d.id(), timestamp, d.body()))
                .POST(HttpRequest.BodyPublishers.ofString(d.body()))
                .build();
        try {
            // The status is all that is wanted: the body is never read, so an endpoint that answers and
            // then stalls cannot hold the sender (the timeout covers only the wait for the headers).
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            r.body().close();
            int status = r.statusCode();
            return status / 100 == 2 ? null : "HTTP " + status;
        } catch (HttpTimeoutException e) {
            return "no answer within 10 s";
        } catch (ConnectException e) {
            // The JDK's carries no message: say what a user needs to know.
            return "cannot connect to " + endpoint.url().getHost() + " (refused or unreachable)";
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** After failed attempt {@code k} (1, 2, ...): retry × 2^(k-1), at most the cap, ±20 %. */
    Duration backoff(int k) {
        double base = Math.min((double) retrySeconds * Math.pow(2, Math.max(0, k - 1)), retryMaxSeconds);
        double jittered = base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis((long) (jittered * 1000));
    }
}
