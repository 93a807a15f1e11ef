package io.vidbatch.k8s.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A pod's container as a real local process in its own session (process group), so that killing
 * it, like tearing down a container, also kills whatever it started. SIGTERM goes to the main
 * process only, as a container runtime sends it to PID 1.
 */
final class PodProcess {
    /** The kubelet's cap on a termination message. */
    static final int MESSAGE_LIMIT = 4096;
    private static final boolean SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"));
    private static final ExecutorService KILLER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sim-group-killer");
        t.setDaemon(true);
        return t;
    });

    final String podName;
    final Path sandbox;
    final Path log;
    final Path resultFile;
    final OffsetDateTime startedAt = Times.now();
    private final Process process;
    volatile boolean oomKilled;
    volatile Instant exited;
    boolean termSent;
    long killAtNanos = Long.MAX_VALUE;
    boolean reported;

    private PodProcess(String podName, Path sandbox, Process process) {
        this.podName = podName;
        this.sandbox = sandbox;
        this.log = sandbox.resolve("container.log");
        this.resultFile = sandbox.resolve("termination-log");
        this.process = process;
    }

    /** Starts the command; the caller has checked that the executable exists. */
    static PodProcess start(String podName, Path sandbox, List<String> command, Map<String, String> env, Path workDir,
            Runnable onExit) throws IOException {
        Files.createDirectories(sandbox);
        Path log = Files.createFile(sandbox.resolve("container.log"));
        // Like the file a kubelet mounts at terminationMessagePath: there, empty, writable.
        Files.write(resultFileIn(sandbox), new byte[0]);
        List<String> argv = new ArrayList<>();
        if (SETSID) {
            argv.add("/usr/bin/setsid");
        }
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        PodProcess p = new PodProcess(podName, sandbox, pb.start());
        p.process.onExit().thenRun(() -> {
            p.exited = Instant.now();
            onExit.run();
        });
        return p;
    }

    static Path resultFileIn(Path sandbox) {
        return sandbox.resolve("termination-log");
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int exitCode() {
        return process.exitValue();
    }

    /** SIGTERM to the main process. */
    void terminate() {
        termSent = true;
        process.destroy();
    }

    /** SIGKILL to the main process and its whole process group. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        killGroup();
    }

    /** SIGKILL, then wait until the process is reaped so callers see it dead (a signal is asynchronous). */
    void killAndWait() {
        kill();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What is left of the group once the main process is gone dies with the container. */
    void killGroup() {
        if (!SETSID) {
            return;
        }
        long pgid = process.pid();
        KILLER.execute(() -> {
            try {
                new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                // no kill(1): the orphans live on, as they would without setsid
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * The termination message: the first 4096 bytes of the result file, or with
     * FallbackToLogsOnError and a failure and no message, the log's last 80 lines (at most 2048 bytes).
     */
    String terminationMessage(String policy, boolean failed) throws IOException {
        byte[] bytes = Files.exists(resultFile) ? head(resultFile, MESSAGE_LIMIT) : new byte[0];
        if (bytes.length == 0 && failed && "FallbackToLogsOnError".equals(policy)) {
            bytes = tail(Files.readAllBytes(log), 80, 2048);
        }
        return bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    void deleteSandbox() {
        try (Stream<Path> files = Files.walk(sandbox)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    private static byte[] head(Path file, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(limit);
        }
    }

    private static byte[] tail(byte[] bytes, int lines, int limit) {
        int i = bytes.length - 1;
        if (i >= 0 && bytes[i] == '\n') {
            i--; // the final newline ends the last line, it does not start one
        }
        int newlines = 0;
        for (; i >= 0; i--) {
            if (bytes[i] == '\n' && ++newlines == lines) {
                break;
            }
        }
        int start = Math.max(i + 1, bytes.length - limit);
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }
}
