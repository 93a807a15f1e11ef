package io.vidbatch.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop a job after some items are committed, restart it, and check that it completes without
 * encoding a committed item again: their outputs stay the same files, they keep the execution
 * that committed them, and the second execution's job log starts only the others.
 */
final class RestartScenario {

    private RestartScenario() {}

    /** How the job is stopped and restarted: through our API or through Liberty's. */
    enum Via {
        OUR_API,
        LIBERTY_API
    }

    /**
     * Stops the job after two items are committed, restarts it and checks it. Returns the job's id.
     *
     * <p>The item in flight is held still (its ffmpeg SIGSTOPped) before the stop is sent: a short
     * sample finishes in half a second, and a stop that takes longer than that to reach the
     * partition (CI saw it on PostgreSQL) would otherwise let every item commit before it. Held,
     * that ffmpeg can only be ended by the stop, as an hour-long encode would be.
     */
    static long run(Jobs jobs, Via via, List<String> inputs, String outputDir) throws Exception {
        long id = submit(jobs, inputs, outputDir, "local");
        String folder = "/" + outputDir + "/";
        ProcessHandle held = Waits.await(
                        "2 items done and an ffmpeg at work on the next, held still",
                        Duration.ofMinutes(2),
                        Duration.ofMillis(50))
                .until(
                        () -> {
                            if (!twoDone(jobs.fetch(id))) {
                                return Optional.<ProcessHandle>empty();
                            }
                            Optional<ProcessHandle> ffmpeg = ProcessHandle.allProcesses()
                                    .filter(p -> isFfmpeg(p)
                                            && p.info().commandLine().orElse("").contains(folder))
                                    .findFirst();
                            if (ffmpeg.isPresent()) {
                                ItServer.signal("STOP", ffmpeg.get());
                            }
                            return ffmpeg;
                        },
                        Optional::isPresent)
                .orElseThrow();
        control(jobs, via, id, "stop");
        JsonObject stopped = jobs.awaitEnd(id, Duration.ofMinutes(1));
        assertThat(stopped.getString("status")).isEqualTo("STOPPED");
        assertThat(ItServer.running(held))
                .as("the held ffmpeg once its job has stopped")
                .isFalse();
        restartAndCheck(
                jobs,
                via,
                id,
                inputs.size(),
                stopped,
                via == Via.OUR_API
                        ? "job stopped mid-run and restarted through /api/v1"
                        : "job stopped mid-run and restarted through /ibm/api/batch",
                "");
        return id;
    }

    /**
     * One job per launcher runs the inputs; once each has committed two items, the ffmpeg it is on is
     * held still and the coordinator is killed (SIGKILL) once for all of them, then started again. No
     * worker process may outlive that, and each job, restarted through our API, completes without
     * encoding a committed item again. One kill for all launchers: a start after a kill costs 26 s here.
     */
    static void runKilled(Jobs jobs, List<String> inputs, List<String> launchers) throws Exception {
        Map<String, Long> ids = new LinkedHashMap<>();
        for (String launcher : launchers) {
            ids.put(launcher, submit(jobs, inputs, killedDir(launcher), launcher));
        }

        // Each job is frozen as soon as it has two items committed and an ffmpeg at work: held still
        // (SIGSTOP), that ffmpeg cannot end by finishing its work, as an hour-long encode could not, and
        // the job cannot finish while the others catch up.
        Map<String, ProcessHandle> held = new LinkedHashMap<>();
        // On a timeout, Awaitility's message shows the launchers held so far.
        Waits.await(
                        "every job with 2 items done and an ffmpeg at work, held still",
                        Duration.ofMinutes(2),
                        Duration.ofMillis(50))
                .until(
                        () -> {
                            for (var e : ids.entrySet()) {
                                String launcher = e.getKey();
                                if (held.containsKey(launcher) || !twoDone(jobs.fetch(e.getValue()))) {
                                    continue;
                                }
                                String folder = Jobs.outputs()
                                        .resolve(killedDir(launcher))
                                        .toAbsolutePath()
                                        .toString();
                                Optional<ProcessHandle> ffmpeg = ItServer.process()
                                        .descendants()
                                        .filter(p -> isFfmpeg(p)
                                                && p.info()
                                                        .commandLine()
                                                        .orElse("")
                                                        .contains(folder + "/"))
                                        .findFirst();
                                if (ffmpeg.isPresent()) {
                                    ItServer.signal("STOP", ffmpeg.get());
                                    held.put(launcher, ffmpeg.get());
                                }
                            }
                            return List.copyOf(held.keySet());
                        },
                        heldSoFar -> heldSoFar.size() == ids.size());
        List<ProcessHandle> workers =
                ItServer.process().descendants().filter(ProcessHandle::isAlive).toList();
        // The server's environment holds passwords (it-server.env); ffmpeg, which parses the media, gets none.
        assertThat(ItServer.environment(ItServer.process())).anyMatch(v -> v.startsWith("ADMIN_PASSWORD="));
        for (var e : held.entrySet()) {
            assertThat(ItServer.environment(e.getValue()))
                    .as(e.getKey() + " launcher's ffmpeg, held still, has an environment to read")
                    .isNotEmpty();
        }
        for (ProcessHandle child : workers) {
            assertThat(ItServer.environment(child))
                    .as("environment of " + child.info().commandLine().orElse("?"))
                    .noneMatch(v -> v.contains("PASSWORD") || v.contains("admin-dev"));
        }
        ProcessHandle localFfmpeg = held.get("local");
        long killed = System.nanoTime();
        ItServer.kill();
        if (localFfmpeg != null) {
            Waits.await(
                            "the local launcher's ffmpeg gone within 15 s of its coordinator's SIGKILL",
                            Duration.ofSeconds(15),
                            Duration.ofMillis(20))
                    .until(() -> !ItServer.running(localFfmpeg));
            assertThat(ItServer.running(localFfmpeg))
                    .as("the local launcher's ffmpeg 15 s after its coordinator's SIGKILL")
                    .isFalse();
            Report.row(
                    "containment",
                    "coordinator killed (SIGKILL) while its local ffmpeg encodes (held still)",
                    String.format(
                            java.util.Locale.ROOT,
                            "that ffmpeg gone %.2f s later (parent-death signal); no child of the coordinator (ffmpeg, worker JVMs) had a password in its environment",
                            (System.nanoTime() - killed) / 1e9));
        }

        // Local workers are threads of the coordinator: the kernel kills their ffmpeg, held still or not, as
        // the coordinator dies (parent-death signal). A process worker notices its coordinator is gone and
        // stops, ffmpeg and all, by itself (ffmpeg, held still, ignores its SIGTERM: the worker kills it after 5 s).
        // On a timeout, Awaitility's message shows the command lines still running.
        Waits.await(
                        "no worker or ffmpeg of the killed coordinator running within 15 s of its death",
                        Duration.ofSeconds(15),
                        Duration.ofMillis(100))
                .until(
                        () -> workers.stream()
                                .filter(ProcessHandle::isAlive)
                                .map(p -> p.info().commandLine().orElse("?"))
                                .toList(),
                        List::isEmpty);
        assertThat(workers.stream()
                        .filter(ProcessHandle::isAlive)
                        .map(p -> p.info().commandLine().orElse("?")))
                .as("workers and ffmpeg still running 15 s after their coordinator died")
                .isEmpty();

        ItServer.start();
        assertThat(workers.stream()
                        .filter(ProcessHandle::isAlive)
                        .map(p -> p.info().commandLine().orElse("?")))
                .as("workers of the killed coordinator still running once it is back")
                .isEmpty();
        System.out.printf(
                "kill: %d job(s) (%s), %d worker process(es) at the kill, none left after the restart%n",
                ids.size(), String.join(", ", ids.keySet()), workers.size());

        for (var e : ids.entrySet()) {
            String launcher = e.getKey();
            // Liberty marks the executions its dead server ran FAILED as it starts again.
            JsonObject failed = jobs.awaitEnd(e.getValue(), Duration.ofMinutes(1));
            assertThat(failed.getString("status")).as(launcher).isEqualTo("FAILED");
            restartAndCheck(
                    jobs,
                    Via.OUR_API,
                    e.getValue(),
                    inputs.size(),
                    failed,
                    "coordinator killed (SIGKILL) mid-item, " + launcher + " launcher (" + ids.size()
                            + " jobs running: " + String.join(", ", ids.keySet())
                            + "), started again, job restarted over REST",
                    "; no worker process outlived the kill"
                            + (launcher.equals("local")
                                    ? " (ffmpeg dies with its coordinator)"
                                    : " (workers stop when their coordinator dies)"));
        }
    }

    private static String killedDir(String launcher) {
        return Jobs.dir("it-kill-" + launcher);
    }

    private static long submit(Jobs jobs, List<String> inputs, String outputDir, String launcher) {
        return jobs.post(Jobs.body("inputs", inputs, "outputDir", outputDir, "workers", 1, "launcher", launcher));
    }

    private static boolean twoDone(JsonObject job) {
        return job.getJsonObject("progress").getInt("done") >= 2;
    }

    /**
     * Restarts the interrupted job and checks that it completes without encoding a committed item
     * again: their outputs stay the same files, they keep the execution that committed them, and the
     * second execution's job log starts only the others.
     */
    private static void restartAndCheck(
            Jobs jobs, Via via, long id, int total, JsonObject stopped, String fault, String note) throws Exception {
        long firstExecution = stopped.getJsonArray("executions")
                .getJsonObject(0)
                .getJsonNumber("id")
                .longValue();
        Map<Integer, Object> committed = new HashMap<>();
        for (JsonValue v : stopped.getJsonArray("items")) {
            JsonObject item = v.asJsonObject();
            if (item.getString("state").equals("DONE")) {
                committed.put(item.getInt("item"), identity(Path.of(item.getString("output"))));
            }
        }
        assertThat(committed).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan(total);

        control(jobs, via, id, "restart");
        JsonObject done = jobs.await(
                id,
                Duration.ofMinutes(2),
                j -> j.getString("status").equals("COMPLETED")
                        && j.getJsonArray("executions").size() == 2,
                "completed by a second execution");
        assertThat(done.getString("exitStatus"))
                .isEqualTo("ALL DONE: " + total + " of " + total + " inputs done, 0 failed, 0 rejected");
        long secondExecution = done.getJsonArray("executions")
                .getJsonObject(0)
                .getJsonNumber("id")
                .longValue();

        for (JsonValue v : done.getJsonArray("items")) {
            JsonObject item = v.asJsonObject();
            int n = item.getInt("item");
            long by = item.getJsonNumber("execution").longValue();
            if (committed.containsKey(n)) {
                assertThat(by).as("item %d completed by", n).isEqualTo(firstExecution);
                assertThat(identity(Path.of(item.getString("output"))))
                        .as("item %d output untouched", n)
                        .isEqualTo(committed.get(n));
            } else {
                assertThat(by).as("item %d completed by", n).isEqualTo(secondExecution);
            }
        }
        Api.Reply log = Api.as(Api.ADMIN)
                .get(jobs.server().batchUrl() + "/jobexecutions/" + secondExecution + "/joblogs?type=text");
        List<Integer> started = startedItems(log.body());
        assertThat(started).hasSize(total - committed.size());
        assertThat(started.stream().filter(committed::containsKey).count())
                .as("committed items encoded again")
                .isZero();
        System.out.printf(
                "restart: %d items committed before the stop, %d encoded after the restart, %d encoded again%n",
                committed.size(),
                started.size(),
                started.stream().filter(committed::containsKey).count());
        // Nothing half-written is left beside the outputs (temporaries are hidden files).
        // (The job's own folder: the PostgreSQL server has another output root.)
        Path folder = Path.of(done.getJsonArray("items").getJsonObject(0).getString("output"))
                .getParent();
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(".")))
                    .as("temporary files left")
                    .isEmpty();
        }
        Report.row(
                "faults",
                fault,
                "COMPLETED, " + total + " of " + total + " done; " + committed.size()
                        + " committed items kept (same files), " + (total - committed.size())
                        + " encoded by the restart, 0 encoded twice, no temporary file left" + note);
    }

    private static void control(Jobs jobs, Via via, long id, String action) {
        if (via == Via.OUR_API) {
            jobs.control(id, action);
        } else {
            jobs.controlThroughLiberty(id, action);
        }
    }

    private static boolean isFfmpeg(ProcessHandle p) {
        return p.info().command().orElse("").endsWith("/ffmpeg");
    }

    static List<Integer> startedItems(String log) {
        Matcher m = Pattern.compile("item (\\d+) started").matcher(log);
        List<Integer> items = new ArrayList<>();
        while (m.find()) {
            items.add(Integer.parseInt(m.group(1)));
        }
        return items;
    }

    /** The file's identity and modification time: a rewrite (temp file + rename) changes both. */
    private static Object identity(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return List.of(a.fileKey(), a.lastModifiedTime());
    }
}
