package io.vidbatch.it;

import io.vidbatch.launch.ProcessLauncher;
import io.vidbatch.media.Expected;
import io.vidbatch.media.OutputFiles;
import io.vidbatch.media.Part;
import io.vidbatch.media.Progress;
import io.vidbatch.media.Samples;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.StreamPlan;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.work.Launch;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.WorkItem;
import io.vidbatch.work.WorkResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker entry point run as a separate JVM: the protocol every remote launcher relies on. */
class ProcessLauncherIT {

    static final ProcessLauncher LAUNCHER = new ProcessLauncher(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-jar",
            System.getProperty("vidbatch.worker.jar")));

    static WorkItem item(Path source, Path out, long frames, double seconds) {
        return new WorkItem(
                1,
                1,
                1,
                Part.WHOLE,
                0,
                source.toString(),
                out.toString(),
                "h264-480p",
                "",
                Expected.of(frames, 0, seconds, 0.05, true, true),
                new StreamPlan.Map(List.of(0), List.of(), null),
                out.resolveSibling("item.log").toString(),
                seconds,
                false,
                null,
                null);
    }

    static Launch launch(List<String> log, List<Progress> progress, AtomicBoolean stop) {
        return new Launch(1, 0, (item, p) -> progress.add(p), stop::get, log::add);
    }

    @Test
    void aWorkerDoesTheItemAndReportsProgressAndLogs() throws Exception {
        Path dir = Samples.scratch();
        List<String> log = new CopyOnWriteArrayList<>();
        List<Progress> progress = new CopyOnWriteArrayList<>();
        List<Outcome> outcomes = LAUNCHER.run(
                List.of(item(Samples.sample("long-720p-30s.mp4"), dir.resolve("out.mp4"), 900, 30.0)),
                launch(log, progress, new AtomicBoolean()));
        assertThat(outcomes).hasSize(1);
        WorkResult r = outcomes.get(0).result();
        assertThat(r.frames()).isEqualTo(900);
        assertThat(Samples.videoFrames(dir.resolve("out.mp4"))).isEqualTo(900);
        assertThat(r.worker()).startsWith("process@");
        assertThat(progress).anyMatch(p -> p.fraction() > 0 && p.fraction() < 1);
        assertThat(log).anyMatch(l -> l.startsWith("worker process "));
    }

    @Test
    void aGroupReportsEachItemBadInputWithTheWorkersReasonAndTheGoodOnesDone() throws Exception {
        Path dir = Samples.scratch();
        Files.writeString(dir.resolve("notes.mp4"), "not a video");
        WorkItem bad = item(dir.resolve("notes.mp4"), dir.resolve("bad-out.mp4"), 1, 1);
        Path screen = Samples.sample("screen-480p-noaudio.mp4");
        double seconds = Samples.videoSeconds(screen);
        WorkItem good = new WorkItem(
                1,
                2,
                2,
                Part.WHOLE,
                0,
                screen.toString(),
                dir.resolve("good-out.mp4").toString(),
                "h264-480p",
                "",
                Expected.of(Samples.videoFrames(screen), 0, seconds, 0.05, true, false),
                StreamPlan.Map.NONE,
                dir.resolve("item2.log").toString(),
                seconds,
                false,
                null,
                null);
        List<Outcome> outcomes = LAUNCHER.run(
                List.of(bad, good),
                launch(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(), new AtomicBoolean()));
        assertThat(outcomes.get(0).badInput()).isTrue();
        assertThat(outcomes.get(0).message()).contains("moov atom not found");
        assertThat(outcomes.get(1).done()).isTrue();
        assertThat(outcomes.get(1).result().output()).isEqualTo(good.output());
        assertThat(Samples.videoFrames(dir.resolve("good-out.mp4")))
                .isEqualTo(outcomes.get(1).result().frames());
        assertThat(dir.resolve("bad-out.mp4")).doesNotExist();
    }

    @Test
    void stopEndsTheWorkerAndItsFfmpegAndLeavesNoPartialFile() throws Exception {
        Path dir = Samples.scratch();
        AtomicBoolean stop = new AtomicBoolean();
        // Stopped as soon as the worker reports progress: mid-encode, whatever the machine's speed.
        List<Progress> progress = new CopyOnWriteArrayList<>() {
            @Override
            public boolean add(Progress p) {
                stop.set(p.fraction() > 0);
                return super.add(p);
            }
        };
        assertThatThrownBy(() -> LAUNCHER.run(
                        List.of(item(Samples.sample("slow-1080p-60s.mp4"), dir.resolve("out.mp4"), 1800, 60)),
                        launch(new CopyOnWriteArrayList<>(), progress, stop)))
                .isInstanceOf(StoppedException.class);
        assertThat(progress).as("progress before the stop").isNotEmpty();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
                .isEmpty();
        try (var s = Files.list(dir)) {
            assertThat(s.filter(p -> OutputFiles.isTemporary(p)
                            || p.getFileName().toString().equals("out.mp4")))
                    .isEmpty();
        }
    }

    @Test
    void aKilledWorkerIsALostWorkerAndItsFfmpegDoesNotLingerOn() throws Exception {
        Path dir = Samples.scratch();
        // Killed once it reports progress, mid-encode: SIGKILL, no chance for the worker to stop its ffmpeg itself.
        List<Progress> progress = new CopyOnWriteArrayList<>() {
            @Override
            public boolean add(Progress p) {
                if (p.fraction() > 0) {
                    ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
                }
                return super.add(p);
            }
        };
        assertThatThrownBy(() -> LAUNCHER.run(
                        List.of(item(Samples.sample("slow-1080p-60s.mp4"), dir.resolve("out.mp4"), 1800, 60)),
                        launch(new CopyOnWriteArrayList<>(), progress, new AtomicBoolean())))
                .isInstanceOf(ToolFailureException.class)
                .hasMessageContaining("exit 137");
        // Its ffmpeg notices its parent's death by itself (parent-death signal): waited for, not slept on.
        Waits.await("the killed worker's ffmpeg gone", Duration.ofSeconds(30), Duration.ofMillis(100))
                .until(() -> ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info().commandLine().orElse("").contains(dir.toString())));
        try (var s = Files.list(dir)) {
            assertThat(s.filter(OutputFiles::isTemporary)).isEmpty();
        }
    }
}
