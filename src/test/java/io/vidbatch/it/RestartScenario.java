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

    /** Which REST API stops and restarts the job. */
    enum Via { OUR_API, LIBERTY_API }

    /** Returns the job's id. */
    static long run(Jobs jobs, Via via, List<String> inputs, String outputDir) throws IOException {
        int total = inputs.size();
        long id = jobs.post(Jobs.body("inputs", inputs, "outputDir", outputDir, "workers", 1));
        jobs.await(id, Duration.ofMinutes(2), j -> j.getJsonObject("progress").getInt("done") >= 2, "2 items done");
        control(jobs, via, id, "stop");
        JsonObject stopped = jobs.awaitEnd(id, Duration.ofMinutes(1));
        assertThat(stopped.getString("status")).isEqualTo("STOPPED");

        long firstExecution = stopped.getJsonArray("executions").getJsonObject(0).getJsonNumber("id").longValue();
        Map<Integer, Object> committed = new HashMap<>();
        for (JsonValue v : stopped.getJsonArray("items")) {
            JsonObject item = v.asJsonObject();
            if (item.getString("state").equals("DONE")) {
                committed.put(item.getInt("item"), identity(Path.of(item.getString("output"))));
            }
        }
        assertThat(committed).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan(total);

        control(jobs, via, id, "restart");
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
        return id;
    }

    private static void control(Jobs jobs, Via via, long id, String action) {
        if (via == Via.OUR_API) {
            jobs.control(id, action);
        } else {
            jobs.controlThroughLiberty(id, action);
        }
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
