package io.vidbatch.it;

import jakarta.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** The schedules API, as the schedule tests read it. */
final class Schedules {

    static final String URL = Api.appUrl() + "/api/v1/schedules/";

    private Schedules() {}

    /** The schedule's recorded firings, newest first. */
    static List<JsonObject> runs(String name) {
        return Api.as(Api.MONITOR).get(URL + name).json().getJsonArray("runs").getValuesAs(JsonObject.class);
    }

    /** Polls a schedule until one of its runs matches; returns that run. */
    static JsonObject awaitRun(String name, Predicate<JsonObject> match, String what) {
        // On a timeout, Awaitility's message shows the schedule's runs as last read.
        return Waits.await("schedule " + name + ": a run " + what, Duration.ofSeconds(60), Duration.ofMillis(500))
                .until(() -> runs(name), runs -> runs.stream().anyMatch(match))
                .stream()
                .filter(match)
                .findFirst()
                .orElseThrow();
    }

    /**
     * Polls a schedule until {@code count} more firings were recorded after {@code run}, whatever
     * their outcome: the schedule had its chances to act again. Returns the runs, newest first.
     */
    static List<JsonObject> awaitFiringsAfter(String name, JsonObject run, int count, String what) {
        Instant after = Instant.parse(run.getString("firedAt"));
        return Waits.await(
                        "schedule " + name + ": " + count + " firings after the one at " + after + " (" + what + ")",
                        Duration.ofSeconds(60),
                        Duration.ofMillis(500))
                .until(
                        () -> runs(name),
                        runs -> runs.stream()
                                        .filter(r -> Instant.parse(r.getString("firedAt"))
                                                .isAfter(after))
                                        .count()
                                >= count);
    }

    /**
     * Copies a file in ten pieces over some 8 s, as a copy over the network would arrive; the
     * result is the time of the last write.
     */
    static java.util.concurrent.CompletableFuture<java.time.Instant> copySlowly(
            java.nio.file.Path source, java.nio.file.Path target) {
        return java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try (var out = java.nio.file.Files.newOutputStream(target)) {
                        byte[] whole = java.nio.file.Files.readAllBytes(source);
                        java.time.Instant last = null;
                        for (int i = 0; i < 10; i++) {
                            out.write(
                                    whole, i * whole.length / 10, (i + 1) * whole.length / 10 - i * whole.length / 10);
                            out.flush();
                            last = java.time.Instant.now();
                            Thread.sleep(800); // the pacing is the point: a file that keeps growing for some 8 s
                        }
                        return last;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                r -> new Thread(r, "slow-copy").start());
    }

    /** The file names a job of a watch-folder schedule took. */
    static List<String> taken(JsonObject job) {
        return job.getJsonArray("inputs").getValuesAs(JsonObject.class).stream()
                .map(i -> java.nio.file.Path.of(i.getString("given"))
                        .getFileName()
                        .toString())
                .toList();
    }
}
