package io.vidbatch.launch;

import io.vidbatch.config.Settings;
import io.vidbatch.media.ChildProcesses;
import io.vidbatch.media.LineTail;
import io.vidbatch.media.OutputFiles;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.work.ItemRunner;
import io.vidbatch.work.Launch;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.ProgressLine;
import io.vidbatch.work.WorkItem;
import io.vidbatch.work.WorkJson;
import io.vidbatch.work.WorkerEnvironment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs each group of items in its own worker JVM on this machine: the entry point a pod runs,
 * so the remote protocol (items JSON in, outcomes JSON and exit code out, SIGTERM to stop) is
 * proven without a cluster. A worker killed mid-item is a lost worker: its group is retried.
 */
@ApplicationScoped
@Named(Launchers.PROCESS)
public class ProcessLauncher implements Launcher {

    private static final long POLL_MILLIS = 500;
    private static final long TERM_GRACE_SECONDS = 10;

    @Inject
    Settings settings;

    /** Set for a launcher made by hand (tests); else the server's worker command. */
    private List<String> command;

    private final String worker = "process@" + ItemRunner.hostName();

    protected ProcessLauncher() {
        // for CDI
    }

    /** @param command how to start a worker, e.g. {@code java -jar .../vidbatch-worker.jar} */
    public ProcessLauncher(List<String> command) {
        this.command = List.copyOf(command);
    }

    private List<String> command() {
        return command != null ? command : settings.workerCommand();
    }

    @Override
    public List<Outcome> run(List<WorkItem> group, Launch launch) throws ToolFailureException, StoppedException {
        Path dir;
        try {
            dir = Files.createTempDirectory("vidbatch-worker-");
        } catch (IOException e) {
            throw new ToolFailureException("cannot make a folder for the worker: " + e.getMessage(), e);
        }
        Path outcomeFile = dir.resolve("outcome.json");
        Path output = dir.resolve("output.log");
        try (LineTail tail = new LineTail(output)) {
            // Everything the worker needs from the coordinator, and nothing else (no passwords).
            Map<String, String> environment = Map.of(
                    WorkerEnvironment.ITEMS,
                    WorkJson.writeItems(group),
                    WorkerEnvironment.RESULT_FILE,
                    outcomeFile.toString(),
                    WorkerEnvironment.NAME,
                    worker,
                    WorkerEnvironment.COORDINATOR_PID,
                    Long.toString(ProcessHandle.current().pid()));
            Process p = ChildProcesses.worker(command(), environment)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            launch.log().accept("worker process " + p.pid() + " started");
            // Remembered while the worker lives: once it is killed, its ffmpeg is an orphan nobody else will stop.
            Set<ProcessHandle> descendants = new HashSet<>();
            try {
                while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(descendants::add);
                    relay(tail.poll(), launch);
                    if (launch.stopRequested().getAsBoolean()) {
                        stop(p);
                        relay(tail.poll(), launch);
                        throw new StoppedException();
                    }
                }
            } catch (InterruptedException e) {
                stop(p);
                Thread.currentThread().interrupt();
                throw new ToolFailureException("interrupted while the worker ran", e);
            }
            relay(tail.poll(), launch);
            int exit = p.exitValue();
            if (exit != Outcome.EXIT_DONE && exit != Outcome.EXIT_BAD_INPUT) {
                descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
                group.forEach(item -> OutputFiles.removeTemporaries(Path.of(item.output())));
            }
            // Named by its process: lanes in the console tell one worker from the next.
            return outcomes(exit, outcomeFile, group, worker + "/" + p.pid());
        } catch (IOException e) {
            throw new ToolFailureException("cannot run the worker: " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    private List<Outcome> outcomes(int exit, Path outcomeFile, List<WorkItem> group, String ranOn)
            throws ToolFailureException {
        List<Outcome> reported = List.of();
        try {
            if (Files.exists(outcomeFile) && Files.size(outcomeFile) > 0) {
                reported = WorkJson.readOutcomes(Files.readString(outcomeFile, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            reported = List.of(); // a worker killed while writing: judged by its exit code below
        }
        if ((exit == Outcome.EXIT_DONE || exit == Outcome.EXIT_BAD_INPUT) && reported.size() == group.size()) {
            return Outcome.placed(reported, group, ranOn);
        }
        String why = reported.size() == 1 && reported.get(0).message() != null
                ? ": " + reported.get(0).message()
                : "";
        throw new ToolFailureException(
                "worker for items " + WorkItem.numbers(group) + " ended with exit " + exit + why);
    }

    /** Worker progress lines feed the progress listener; everything else is log. */
    private static void relay(List<String> lines, Launch launch) {
        for (String line : lines) {
            ProgressLine.parse(line)
                    .ifPresentOrElse(
                            u -> launch.progress().update(u.item(), u.progress()),
                            () -> launch.log().accept(line));
        }
    }

    /** SIGTERM lets the worker stop ffmpeg and remove its temporary file; SIGKILL if it does not. */
    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(TERM_GRACE_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
