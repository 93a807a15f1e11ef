package io.vidbatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The output volume fills up mid-encode (a 3 MB tmpfs mounted inside the output root; mounting
 * needs root, as CI has): the job fails saying so, nothing half-written is left, and once there
 * is room a restart finishes it.
 */
@MicroShedTest
class DiskFullIT {

    private static Path volume;

    @BeforeAll
    static void mountASmallVolume() throws Exception {
        volume = Files.createDirectories(Jobs.outputs().resolve("it-full-volume"));
        run("umount", volume.toString()); // left mounted by an interrupted run
        assertThat(run("mount", "-t", "tmpfs", "-o", "size=3m,mode=0777", "tmpfs", volume.toString()))
                .as("mount a 3 MB tmpfs at " + volume + " (needs root)")
                .isZero();
    }

    @AfterAll
    static void unmount() throws Exception {
        run("umount", volume.toString());
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
    }

    @Test
    void aFullVolumeFailsTheJobSayingSoLeavesNothingHalfWrittenAndARestartFinishesIt() throws Exception {
        String dir = Jobs.dir("out");
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4", "samples/long-720p-30s.mp4"),
                "outputDir",
                "it-full-volume/" + dir,
                "workers",
                1));
        JsonObject failed = Jobs.waitForEnd(id, Duration.ofMinutes(2));
        // Not the video's fault: the job stops (restartable) instead of marking good items failed.
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        assertThat(failed.getString("exitStatus")).isEqualTo("worker lost: no space left on the output volume");
        Path out = volume.resolve(dir);
        assertThat(StopRestartIT.files(out))
                .as("nothing half-written where an output is expected")
                .isEmpty();
        Report.row(
                "faults",
                "output volume full mid-encode (3 MB tmpfs)",
                "job FAILED: '" + failed.getString("exitStatus") + "'; no partial file left");

        // Room made (the volume grown in place): a restart finishes the job, nothing lost.
        assertThat(run("mount", "-o", "remount,size=200m", volume.toString())).isZero();
        Jobs.on(Api.Server.main()).control(id, "restart");
        JsonObject done = Jobs.waitFor(
                id,
                Duration.ofMinutes(2),
                j -> Jobs.ENDED.contains(j.getString("status"))
                        && j.getJsonArray("executions").size() == 2,
                "the restart ended");
        assertThat(done.getString("exitStatus")).isEqualTo("ALL DONE: 2 of 2 inputs done, 0 failed, 0 rejected");
        assertThat(StopRestartIT.files(out))
                .containsExactlyInAnyOrder(
                        "screen-480p-noaudio-h264-720p.mp4",
                        "long-720p-30s-h264-720p.mp4",
                        "vidbatch-report-" + id + ".json");
        Report.row(
                "faults",
                "output volume full mid-encode, then room made and the job restarted over REST",
                done.getString("status") + ", " + done.getString("exitStatus") + "; no temporary file left");
    }
}
