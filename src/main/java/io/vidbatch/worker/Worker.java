package io.vidbatch.worker;

import io.vidbatch.launch.Launch;
import io.vidbatch.launch.LocalLauncher;
import io.vidbatch.launch.Outcome;
import io.vidbatch.launch.ProgressLine;
import io.vidbatch.launch.WorkItem;
import io.vidbatch.launch.WorkJson;
import io.vidbatch.media.BadMediaException;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.Tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker entry point, the same in a separate process and in a Kubernetes pod: takes one
 * work item (JSON in {@code VIDBATCH_ITEM}), runs decode → process → encode, writes the output
 * atomically and reports the outcome (JSON) to {@code VIDBATCH_RESULT_FILE}, by default the
 * container's termination message. Exit 0 = done, 3 = bad input (never worth retrying),
 * anything else = transient. SIGTERM ends ffmpeg and removes its temporary files.
 */
public final class Worker {

    static final String ITEM = "VIDBATCH_ITEM";
    static final String RESULT_FILE = "VIDBATCH_RESULT_FILE";
    static final String NAME = "VIDBATCH_WORKER_NAME";
    private static final String TERMINATION_LOG = "/dev/termination-log";
    private static final long SHUTDOWN_GRACE_SECONDS = 20;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final PrintStream out = System.out;

    public static void main(String[] args) {
        Worker w = new Worker();
        Runtime.getRuntime().addShutdownHook(new Thread(w::onTerminate, "vidbatch-worker-shutdown"));
        int exit = w.run(System.getenv());
        if (!w.shuttingDown.get()) {
            System.exit(exit);
        }
        // Terminated from outside: the JVM is already exiting; calling exit now would block for good.
    }

    /** SIGTERM (pod deleted or evicted, process stopped): stop ffmpeg, clean up, then let the JVM go. */
    private void onTerminate() {
        shuttingDown.set(true);
        stop.set(true);
        try {
            finished.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int run(Map<String, String> env) {
        try {
            String json = env.get(ITEM);
            if (json == null || json.isBlank()) {
                return report(env, Outcome.failed(ITEM + " is not set"), 2);
            }
            WorkItem item = WorkJson.readItem(json);
            String name = env.getOrDefault(NAME, "worker:" + java.net.InetAddress.getLocalHost().getHostName());
            out.printf("item %d: %s -> %s%n", item.item(), item.source(), item.output());
            Launch launch = new Launch(0, 0, p -> out.println(ProgressLine.format(p)), stop::get, out::println);
            try {
                return report(env, Outcome.done(new LocalLauncher(Tools.onPath(), name).run(item, launch)), Outcome.EXIT_DONE);
            } catch (BadMediaException e) {
                return report(env, Outcome.badInput(e.getMessage()), Outcome.EXIT_BAD_INPUT);
            } catch (StoppedException e) {
                return report(env, Outcome.failed("stopped"), 143);
            } catch (Exception e) {
                return report(env, Outcome.failed(e.getMessage() == null ? e.toString() : e.getMessage()), 1);
            }
        } catch (Exception e) {
            return report(env, Outcome.failed("cannot read the work item: " + e), 2);
        } finally {
            finished.countDown();
        }
    }

    private int report(Map<String, String> env, Outcome outcome, int exit) {
        String json = WorkJson.write(outcome);
        out.println("outcome " + json);
        try {
            Files.writeString(Path.of(env.getOrDefault(RESULT_FILE, TERMINATION_LOG)), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            out.println("cannot write the outcome: " + e.getMessage());
        }
        out.flush();
        return exit;
    }
}
