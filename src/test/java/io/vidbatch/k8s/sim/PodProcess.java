package io.vidbatch.k8s.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A pod's container as a real local process. SIGTERM goes to the main process only, as a
 * container runtime sends it to PID 1; a kill, like tearing down a container, takes its
 * descendants too. In a process group of its own (setsid, opt-in: one more exec per pod) even
 * what the main process left behind when it exited dies with it.
 */
final class PodProcess {
    /** The kubelet's cap on a termination message. */
    static final int MESSAGE_LIMIT = 4096;

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    final String podName;
    final Path sandbox;
    final Path log;
    final Path resultFile;
    final OffsetDateTime startedAt = Times.now();
    /** The same moment at full precision: the API's times are whole seconds, too coarse to order two pods. */
    final Instant launched = Instant.now();

    private final Process process;
    private final boolean ownGroup;
    private List<ProcessHandle> descendantsAtTerm = List.of();
    volatile boolean oomKilled;
    volatile Instant exited;
    boolean termSent;
    long killAtNanos = Long.MAX_VALUE;
    boolean reported;

    private PodProcess(String podName, Path sandbox, Process process, boolean ownGroup) {
        this.podName = podName;
        this.ownGroup = ownGroup;
        this.sandbox = sandbox;
        this.log = sandbox.resolve("container.log");
        this.resultFile = sandbox.resolve("termination-log");
        this.process = process;
    }

    /** Starts the command; the caller has checked that the executable exists. */
    static PodProcess start(
            String podName,
            Path sandbox,
            List<String> command,
            Map<String, String> env,
            Path workDir,
            boolean ownGroup,
            Runnable onExit)
            throws IOException {
        Files.createDirectories(sandbox);
        Path log = Files.createFile(sandbox.resolve("container.log"));
        // Like the file a kubelet mounts at terminationMessagePath: there, empty, writable.
        Files.write(resultFileIn(sandbox), new byte[0]);
        List<String> argv = new ArrayList<>();
        boolean setsid = ownGroup && Files.isExecutable(SETSID);
        if (setsid) {
            argv.add(SETSID.toString());
        }
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        PodProcess p = new PodProcess(podName, sandbox, pb.start(), setsid);
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

    /** SIGTERM to the main process; what it started is remembered, to die with it. */
    void terminate() {
        termSent = true;
        descendantsAtTerm = process.descendants().toList();
        process.destroy();
    }

    /** SIGKILL to the main process and its whole process group. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        cleanUp();
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

    /** Once the main process is gone, what is left of the container dies with it. */
    void cleanUp() {
        descendantsAtTerm.forEach(ProcessHandle::destroyForcibly);
        if (ownGroup) {
            GroupKiller.kill(process.pid());
        }
    }

    /**
     * The termination message: the last 4096 bytes of the result file (the kubelet reads at most
     * that much from the end), or with FallbackToLogsOnError and a failure and no message, the
     * log's last 80 lines (at most 2048 bytes).
     */
    String terminationMessage(String policy, boolean failed) throws IOException {
        byte[] bytes = Files.exists(resultFile) ? last(resultFile, MESSAGE_LIMIT) : new byte[0];
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

    private static byte[] last(Path file, int limit) throws IOException {
        try (SeekableByteChannel in = Files.newByteChannel(file)) {
            long size = in.size();
            in.position(Math.max(0, size - limit));
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(size, limit));
            while (b.hasRemaining() && in.read(b) >= 0) {
                // until the tail is read
            }
            return Arrays.copyOf(b.array(), b.position());
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
