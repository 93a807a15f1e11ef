package io.vidbatch.it;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Submitting and following jobs through our API, the way a user script would. */
public final class Jobs {

    static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

    private final Api.Server server;
    /** Who submits and who reads, by the names Api.SUBMITTER and Api.MONITOR. */
    private final Function<String, Api> callers;

    private Jobs(Api.Server server, Function<String, Api> callers) {
        this.server = server;
        this.callers = callers;
    }

    /** Jobs on a given server; the static methods below use the main IT server. */
    public static Jobs on(Api.Server server) {
        return new Jobs(server, Api::as);
    }

    /** Jobs on a given server whose users are not the IT server's (a directory's). */
    public static Jobs on(Api.Server server, Function<String, Api> callers) {
        return new Jobs(server, callers);
    }

    private static Jobs main() {
        return on(Api.Server.main());
    }

    public Api.Server server() {
        return server;
    }

    public static Path inputs() {
        return Path.of(System.getProperty("vidbatch.it.inputs")).toAbsolutePath();
    }

    public static Path outputs() {
        return Path.of(System.getProperty("vidbatch.it.outputs")).toAbsolutePath();
    }

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    /** An output folder of this test run: earlier runs' files never meet this run's. */
    public static String dir(String name) {
        return name + "-" + RUN;
    }

    public static Path sample(String name) {
        return inputs().resolve("samples").resolve(name);
    }

    /** A JSON submission; values are strings, numbers, booleans or lists of strings. */
    public static String body(Object... kv) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            String k = (String) kv[i];
            Object v = kv[i + 1];
            if (v instanceof List<?> list) {
                JsonArrayBuilder a = Json.createArrayBuilder();
                list.forEach(x -> a.add(x.toString()));
                b.add(k, a);
            } else if (v instanceof Number n) {
                b.add(
                        k,
                        n.doubleValue() == n.longValue()
                                ? Json.createValue(n.longValue())
                                : Json.createValue(n.doubleValue()));
            } else if (v instanceof Boolean bool) {
                b.add(k, bool);
            } else {
                b.add(k, v.toString());
            }
        }
        return b.build().toString();
    }

    /** Submits as the submitter and returns the job id; fails the test on anything but 201. */
    public long post(String body) {
        Api.Reply r = callers.apply(Api.SUBMITTER).post(server.appUrl() + "/api/v1/jobs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().getJsonNumber("id").longValue();
    }

    public JsonObject fetch(long id) {
        Api.Reply r = callers.apply(Api.MONITOR).get(server.appUrl() + "/api/v1/jobs/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** Asks, as the submitter, for the job to stop or restart through our API (202 when accepted). */
    public void control(long id, String action) {
        Api.Reply r = Api.as(Api.SUBMITTER).post(server.appUrl() + "/api/v1/jobs/" + id + "/" + action, "");
        assertThat(r.status()).as(action + ": " + r.body()).isEqualTo(202);
    }

    /** The same through Liberty's batch API: PUT /ibm/api/batch/jobinstances/{id}?action=stop|restart. */
    public void controlThroughLiberty(long id, String action) {
        Api.Reply r = Api.as(Api.SUBMITTER).put(server.batchUrl() + "/jobinstances/" + id + "?action=" + action, "{}");
        assertThat(r.status()).as(action + ": " + r.body()).isEqualTo(200);
    }

    /**
     * Polls the job every 500 ms until it meets the condition; fails at once if it ends without
     * meeting it, and after {@code timeout} with the job as it last was.
     */
    public JsonObject await(long id, Duration timeout, Predicate<JsonObject> condition, String what) {
        return Waits.await("job " + id + " reaching '" + what + "'", timeout, Duration.ofMillis(500))
                .until(
                        () -> {
                            JsonObject job = fetch(id);
                            if (!condition.test(job)
                                    && ENDED.contains(job.getString("status"))
                                    && !condition.test(job = fetch(id))) {
                                throw new AssertionError("job " + id + " ended before reaching '" + what + "': " + job);
                            }
                            return job;
                        },
                        condition);
    }

    public JsonObject awaitEnd(long id, Duration timeout) {
        return await(id, timeout, j -> ENDED.contains(j.getString("status")), "ended");
    }

    public static long submit(String body) {
        return main().post(body);
    }

    public static JsonObject get(long id) {
        return main().fetch(id);
    }

    public static JsonObject waitFor(long id, Duration timeout, Predicate<JsonObject> condition, String what) {
        return main().await(id, timeout, condition, what);
    }

    /** The job COMPLETED by its second execution: the restart after a stop, a crash or a failure. */
    public static JsonObject waitForCompletedRestart(long id, Duration timeout) {
        return waitFor(
                id,
                timeout,
                j -> j.getString("status").equals("COMPLETED")
                        && j.getJsonArray("executions").size() == 2,
                "completed by its second execution");
    }

    public static JsonObject waitForEnd(long id, Duration timeout) {
        return main().awaitEnd(id, timeout);
    }

    /**
     * Waits as a script would, on the job's status (status?wait), then reads its detail once:
     * polling the detail of a thousand items twice a second would load the coordinator with the
     * test's own reads.
     */
    public static JsonObject waitForEndByStatus(long id, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Api.Reply r = Api.as(Api.MONITOR).get(Api.appUrl() + "/api/v1/jobs/" + id + "/status?wait=50");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            if (ENDED.contains(r.json().getString("status"))) {
                return get(id);
            }
        }
        throw new AssertionError("job " + id + " did not end within " + timeout);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
