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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop a job after some items are committed, restart it, and check that it completes without
 * encoding a committed item again: their outputs stay the same files, they keep the execution
 * that committed them, and the second execution's job log starts only the others.
 */
final class RestartScenario {

    private RestartScenario() {
    }

    /**
     * How the job is interrupted and restarted: stopped and restarted through our API or Liberty's,
     * or the coordinator is killed (SIGKILL) mid-item, started again and the job restarted through ours.
     */
    enum Via { OUR_API, LIBERTY_API, KILL }

    /** Returns the job's id. */
    static long run(Jobs jobs, Via via, List<String> inputs, String outputDir) throws Exception {
        return run(jobs, via, inputs, outputDir, "local");
    }

    static long run(Jobs jobs, Via via, List<String> inputs, String outputDir, String launcher) throws Exception {
        int total = inputs.size();
        long id = jobs.post(Jobs.body("inputs", inputs, "outputDir", outputDir, "workers", 1, "launcher", launcher));
        jobs.await(id, Duration.ofMinutes(2), j -> j.getJsonObject("progress").getInt("done") >= 2, "2 items done");
        JsonObject stopped;
        if (via == Via.KILL) {
            List<ProcessHandle> workers = List.of();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end && workers.stream().noneMatch(RestartScenario::isFfmpeg)) {
                workers = ItServer.process().descendants().filter(ProcessHandle::isAlive).toList();
                Jobs.sleep(50);
            }
            assertThat(workers).as("an ffmpeg at work when the coordinator dies").anyMatch(RestartScenario::isFfmpeg);
            // Held still, so that it would outlive the restart as an hour-long encode would.
            for (ProcessHandle f : workers.stream().filter(RestartScenario::isFfmpeg).toList()) {
                ItServer.signal("STOP", f);
            }
            ItServer.kill();
            if (launcher.equals("process")) {
                // A process worker notices its coordinator is gone and stops, ffmpeg and all, by itself
                // (ffmpeg, held still, ignores its SIGTERM: the worker kills it after 5 s).
                long gone = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (System.nanoTime() < gone && workers.stream().anyMatch(ProcessHandle::isAlive)) {
                    Jobs.sleep(100);
                }
                assertThat(workers.stream().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")))
                        .as("process workers still running 15 s after their coordinator died").isEmpty();
            } else {
                assertThat(workers.stream().filter(ProcessHandle::isAlive)).as("ffmpeg orphaned by the kill").isNotEmpty();
            }
            ItServer.start();
            assertThat(workers.stream().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")))
                    .as("workers of the killed coordinator still running once it is back").isEmpty();
            // Liberty marks the executions its dead server ran FAILED as it starts again.
            stopped = jobs.awaitEnd(id, Duration.ofMinutes(1));
            assertThat(stopped.getString("status")).isEqualTo("FAILED");
            System.out.printf("kill (%s): %d worker process(es) at the kill, none left after the restart%n", launcher, workers.size());
        } else {
            control(jobs, via, id, "stop");
            stopped = jobs.awaitEnd(id, Duration.ofMinutes(1));
            assertThat(stopped.getString("status")).isEqualTo("STOPPED");
        }

        long firstExecution = stopped.getJsonArray("executions").getJsonObject(0).getJsonNumber("id").longValue();
        Map<Integer, Object> committed = new HashMap<>();
        for (JsonValue v : stopped.getJsonArray("items")) {
            JsonObject item = v.asJsonObject();
            if (item.getString("state").equals("DONE")) {
                committed.put(item.getInt("item"), identity(Path.of(item.getString("output"))));
            }
        }
        assertThat(committed).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan(total);

        control(jobs, via == Via.KILL ? Via.OUR_API : via, id, "restart");
        JsonObject done = jobs.await(id, Duration.ofMinutes(2), j -> j.getString("status").equals("COMPLETED")
                && j.getJsonArray("executions").size() == 2, "completed by a second execution");
        assertThat(done.getString("exitStatus")).isEqualTo("ALL DONE: " + total + " of " + total + " inputs done, 0 failed, 0 rejected");
        long secondExecution = done.getJsonArray("executions").getJsonObject(0).getJsonNumber("id").longValue();

        for (JsonValue v : done.getJsonArray("items")) {
            JsonObject item = v.asJsonObject();
            int n = item.getInt("item");
            long by = item.getJsonNumber("execution").longValue();
            if (committed.containsKey(n)) {
                assertThat(by).as("item %d completed by", n).isEqualTo(firstExecution);
                assertThat(identity(Path.of(item.getString("output")))).as("item %d output untouched", n).isEqualTo(committed.get(n));
            } else {
                assertThat(by).as("item %d completed by", n).isEqualTo(secondExecution);
            }
        }
        Api.Reply log = Api.as(Api.ADMIN).get(jobs.server().batchUrl() + "/jobexecutions/" + secondExecution + "/joblogs?type=text");
        List<Integer> started = startedItems(log.body());
        assertThat(started).hasSize(total - committed.size());
        assertThat(started.stream().filter(committed::containsKey).count()).as("committed items encoded again").isZero();
        System.out.printf("restart: %d items committed before the stop, %d encoded after the restart, %d encoded again%n",
                committed.size(), started.size(), started.stream().filter(committed::containsKey).count());
        // Nothing half-written is left beside the outputs (temporaries are hidden files).
        // (The job's own folder: the PostgreSQL server has another output root.)
        Path folder = Path.of(done.getJsonArray("items").getJsonObject(0).getString("output")).getParent();
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("."))).as("temporary files left").isEmpty();
        }
        Report.row("faults", switch (via) {
            case KILL -> "coordinator killed (SIGKILL) mid-item, " + launcher + " launcher, started again, job restarted over REST";
            case OUR_API -> "job stopped mid-run and restarted through /api/v1";
            case LIBERTY_API -> "job stopped mid-run and restarted through /ibm/api/batch";
        }, "COMPLETED, " + total + " of " + total + " done; " + committed.size() + " committed items kept (same files), "
                + (total - committed.size()) + " encoded by the restart, 0 encoded twice, no temporary file left"
                + (via == Via.KILL ? "; no worker process outlived the kill" + (launcher.equals("local") ? " (the orphaned ffmpeg is ended at start-up)" : " (workers stop when their coordinator dies)") : ""));
        return id;
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
