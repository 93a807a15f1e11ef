package io.vidbatch.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The same job through the local and the process launcher, and a worker process killed mid-item. */
@MicroShedTest
class LaunchersIT {

    static final List<String> INPUTS =
            List.of("samples/talk-720p-23976.mp4", "samples/phone-vfr.mp4", "samples/screen-480p-noaudio.mp4");

    static Map<String, Probe> outputs(long id) {
        JsonObject job = Jobs.get(id);
        Map<String, Probe> out = new TreeMap<>();
        for (JsonValue v : job.getJsonArray("inputs")) {
            JsonObject in = v.asJsonObject();
            out.put(
                    in.getString("given"),
                    Probe.of(Path.of(in.getJsonObject("output").getString("path"))));
        }
        return out;
    }

    @Test
    void localAndProcessWorkersGiveEquivalentOutputs() {
        long local = Jobs.submit(Jobs.body("inputs", INPUTS, "outputDir", Jobs.dir("it-local"), "launcher", "local"));
        long process =
                Jobs.submit(Jobs.body("inputs", INPUTS, "outputDir", Jobs.dir("it-process"), "launcher", "process"));
        assertThat(Jobs.waitForEnd(local, Duration.ofMinutes(2)).getString("exitStatus"))
                .startsWith("ALL DONE");
        JsonObject p = Jobs.waitForEnd(process, Duration.ofMinutes(2));
        assertThat(p.getString("exitStatus")).startsWith("ALL DONE");
        assertThat(p.getJsonArray("items").stream().map(i -> i.asJsonObject().getString("worker")))
                .allMatch(w -> w.startsWith("process@"));
        // Same streams, sizes and frame counts, whichever launcher ran the items.
        assertThat(outputs(process)).isEqualTo(outputs(local));
    }

    @Test
    void aGroupOfItemsRunsInOneWorkerAndGivesTheSameOutputs() {
        long local =
                Jobs.submit(Jobs.body("inputs", INPUTS, "outputDir", Jobs.dir("it-group-local"), "launcher", "local"));
        long grouped = Jobs.submit(Jobs.body(
                "inputs",
                INPUTS,
                "outputDir",
                Jobs.dir("it-group"),
                "launcher",
                "process",
                "workers",
                1,
                "groupSize",
                3));
        assertThat(Jobs.waitForEnd(local, Duration.ofMinutes(2)).getString("exitStatus"))
                .startsWith("ALL DONE");
        assertThat(Jobs.waitForEnd(grouped, Duration.ofMinutes(2)).getString("exitStatus"))
                .isEqualTo("ALL DONE: 3 of 3 inputs done, 0 failed, 0 rejected");
        String log = Api.as(Api.ADMIN)
                .get(Api.batchUrl() + "/jobinstances/" + grouped + "/joblogs?type=text")
                .body();
        assertThat(log.split("worker process \\d+ started", -1))
                .as("worker processes started")
                .hasSize(2);
        assertThat(outputs(grouped)).isEqualTo(outputs(local));
    }

    @Test
    void aDryRunSendsEveryItemToAWorkerAndEncodesNothing() throws Exception {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/long-720p-30s.mp4", "samples/phone-vfr.mp4"),
                "outputDir",
                Jobs.dir("it-dry"),
                "launcher",
                "process",
                "segmentSeconds",
                6,
                "groupSize",
                4,
                "dryRun",
                true));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(2));
        assertThat(job.getString("exitStatus"))
                .isEqualTo("ALL DONE: 2 of 2 inputs done, 0 failed, 0 rejected (dry run: nothing encoded)");
        assertThat(job.getJsonArray("items").size())
                .as("segments and audio of the long clip, and the phone clip")
                .isGreaterThan(5);
        assertThat(job.getJsonArray("items").stream().map(i -> i.asJsonObject().getString("worker")))
                .allMatch(w -> w.startsWith("process@"));
        try (var s = Files.list(Jobs.outputs().resolve(Jobs.dir("it-dry")))) {
            assertThat(s.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith("vidbatch-report-"));
        }
    }

    @Test
    void killingAWorkerProcessMidItemRetriesJustThatItem() throws Exception {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/long-720p-30s.mp4", "samples/screen-480p-noaudio.mp4", "samples/portrait-rotated.mp4"),
                "outputDir",
                Jobs.dir("it-kill"),
                "launcher",
                "process",
                "workers",
                1));
        // The longest item runs first; kill its worker JVM (SIGKILL) once its ffmpeg is at work (held
        // still, so that it cannot finish first: this encode takes under 5 s on a fast machine).
        ProcessHandle worker = awaitWorkerOf(Jobs.dir("it-kill"), Duration.ofMinutes(1));
        worker.destroyForcibly();
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        assertThat(job.getString("exitStatus")).isEqualTo("ALL DONE: 3 of 3 inputs done, 0 failed, 0 rejected");

        String log = Api.as(Api.ADMIN)
                .get(Api.batchUrl() + "/jobinstances/" + id + "/joblogs?type=text")
                .body();
        Map<Integer, Long> starts = RestartScenario.startedItems(log).stream()
                .collect(Collectors.groupingBy(i -> i, TreeMap::new, Collectors.counting()));
        int longItem = itemOf(job, "samples/long-720p-30s.mp4");
        assertThat(starts.get(longItem)).as("starts of the killed item").isEqualTo(2);
        assertThat(starts.entrySet().stream()
                        .filter(e -> e.getKey() != longItem)
                        .map(Map.Entry::getValue))
                .containsOnly(1L);
        assertThat(log).contains("will be retried");
        try (var s = Files.list(Jobs.outputs().resolve(Jobs.dir("it-kill")))) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".part")))
                    .isEmpty();
        }
    }

    static int itemOf(JsonObject job, String given) {
        int input = job.getJsonArray("inputs").stream()
                .map(JsonValue::asJsonObject)
                .filter(i -> i.getString("given").equals(given))
                .findFirst()
                .orElseThrow()
                .getInt("input");
        return job.getJsonArray("items").stream()
                .map(JsonValue::asJsonObject)
                .filter(i -> i.getInt("input") == input)
                .findFirst()
                .orElseThrow()
                .getInt("item");
    }

    /**
     * The worker JVM whose ffmpeg writes into the folder, that ffmpeg held still (SIGSTOP) as it
     * is found: its item cannot end before the caller kills the worker, however fast the machine.
     * The kernel kills the held ffmpeg with its worker (parent-death signal, SIGKILL).
     */
    static ProcessHandle awaitWorkerOf(String outputDir, Duration timeout) {
        return Waits.await(
                        "a worker process (vidbatch-worker.jar) whose ffmpeg writes into " + outputDir,
                        timeout,
                        Duration.ofMillis(50))
                .until(
                        () -> {
                            for (ProcessHandle ffmpeg : StopRestartIT.ffmpegFor(outputDir)) {
                                Optional<ProcessHandle> worker = ffmpeg.parent()
                                        .filter(p -> p.info()
                                                .commandLine()
                                                .orElse("")
                                                .contains("vidbatch-worker.jar"));
                                if (worker.isPresent()) {
                                    ItServer.signal("STOP", ffmpeg);
                                    return worker;
                                }
                            }
                            return Optional.<ProcessHandle>empty();
                        },
                        Optional::isPresent)
                .orElseThrow();
    }
}
