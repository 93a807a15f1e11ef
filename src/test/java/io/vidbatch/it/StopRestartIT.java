package io.vidbatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Stop reaches the running ffmpeg; restart finishes the job without redoing committed items. */
@MicroShedTest
class StopRestartIT {

    @Test
    void restartNeverRedoesACommittedItem() throws Exception {
        RestartScenario.run(
                Jobs.on(Api.Server.main()),
                RestartScenario.Via.OUR_API,
                TranscodeIT.DEMO.stream().map(n -> "samples/" + n).toList(),
                Jobs.dir("it-restart"));
    }

    @Test
    void aCoordinatorKilledMidJobLeavesNoWorkerRunningAndItsRestartRedoesNoCommittedItem() throws Exception {
        RestartScenario.runKilled(
                Jobs.on(Api.Server.main()),
                TranscodeIT.DEMO.stream().map(n -> "samples/" + n).toList(),
                List.of("local", "process"));
        // Its ffmpeg died with it: the restarted coordinator's sweep found nothing left to end.
        assertThat(Files.readString(ItServer.messagesLog())).doesNotContain("left running by a coordinator that died");
    }

    @Test
    void stopDuringALongItemEndsFfmpegAndRestartCompletesIt() {
        long id = Jobs.submit(Jobs.body(
                "inputs", List.of("samples/slow-1080p-60s.mp4"), "outputDir", Jobs.dir("it-stop"), "workers", 1));
        Jobs.waitFor(
                id,
                Duration.ofMinutes(1),
                j -> j.getJsonArray("items").stream()
                        .anyMatch(i -> i.asJsonObject().getJsonNumber("percent").doubleValue() > 2),
                "encoding under way");
        List<ProcessHandle> ffmpeg = ffmpegFor(Jobs.dir("it-stop"));
        assertThat(ffmpeg).as("the running ffmpeg").hasSize(1);

        long stopAt = System.nanoTime();
        Jobs.on(Api.Server.main()).control(id, "stop");
        Waits.await(
                        "the running ffmpeg gone within 15 s of the stop request",
                        Duration.ofSeconds(15),
                        Duration.ofMillis(100))
                .until(() -> !ffmpeg.get(0).isAlive());
        double seconds = (System.nanoTime() - stopAt) / 1e9;
        assertThat(ffmpeg.get(0).isAlive()).isFalse();
        System.out.printf("stop: ffmpeg gone %.2f s after the stop request%n", seconds);

        JsonObject stopped = Jobs.waitForEnd(id, Duration.ofMinutes(1));
        assertThat(stopped.getString("status")).isEqualTo("STOPPED");
        Path dir = Jobs.outputs().resolve(Jobs.dir("it-stop"));
        assertThat(files(dir)).as("no output, no partial file").isEmpty();

        Jobs.on(Api.Server.main()).control(id, "restart");
        JsonObject done = Jobs.waitForCompletedRestart(id, Duration.ofMinutes(3));
        assertThat(done.getString("exitStatus")).startsWith("ALL DONE");
        Probe out = Probe.of(dir.resolve("slow-1080p-60s-h264-720p.mp4"));
        assertThat(out.frames()).isEqualTo(1800);
        assertThat(files(dir))
                .containsExactlyInAnyOrder("slow-1080p-60s-h264-720p.mp4", "vidbatch-report-" + id + ".json");
    }

    /**
     * The ffmpeg processes writing into a folder of one job (its output folder, {@link Jobs#dir}:
     * this test run's own; or a folder of its work), wherever they run. Not by source name:
     * anything else on the machine may read the same sample (another build's tests made one of
     * CI's runs see two).
     */
    static List<ProcessHandle> ffmpegFor(String outputDir) {
        String folder = "/" + outputDir + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("/ffmpeg")
                        && p.info().commandLine().orElse("").contains(folder))
                .toList();
    }

    static List<String> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
