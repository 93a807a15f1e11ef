package io.vidbatch.worker;

import io.vidbatch.media.StoppedException;
import io.vidbatch.media.Tools;
import io.vidbatch.work.ItemRunner;
import io.vidbatch.work.Launch;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.ProgressLine;
import io.vidbatch.work.WorkItem;
import io.vidbatch.work.WorkJson;
import io.vidbatch.work.WorkerEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker entry point, the same in a separate process and in a Kubernetes pod: takes a group
 * of work items (a JSON array in {@code VIDBATCH_ITEMS}), runs decode → process → encode for
 * each in turn, writes each output atomically and reports one outcome per item (a JSON array)
 * to {@code VIDBATCH_RESULT_FILE}, by default the container's termination message. Exit 0 =
 * every item reported (done or bad input), 3 = every item was bad input (never worth
 * retrying), anything else = transient: the group is worth running again. SIGTERM ends ffmpeg
 * and removes its temporary files.
 */
public final class Worker {

    static final String ITEMS = WorkerEnvironment.ITEMS;
    static final String RESULT_FILE = WorkerEnvironment.RESULT_FILE;
    static final String NAME = WorkerEnvironment.NAME;
    private static final String TERMINATION_LOG = "/dev/termination-log";
    private static final long SHUTDOWN_GRACE_SECONDS = 20;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final PrintStream out = System.out;

    public static void main(String[] args) {
        Worker w = new Worker();
        Runtime.getRuntime().addShutdownHook(new Thread(w::onTerminate, "vidbatch-worker-shutdown"));
        w.stopWhenCoordinatorDies(System.getenv(WorkerEnvironment.COORDINATOR_PID));
        int exit = w.run(System.getenv());
        if (!w.shuttingDown.get()) {
            System.exit(exit);
        }
        // Terminated from outside: the JVM is already exiting; calling exit now would block for good.
    }

    /**
     * A coordinator killed outright (SIGKILL, OOM killer) cannot stop its workers: they would
     * encode on, unseen, while the restarted coordinator gives their items to new workers. So a
     * worker started by a coordinator's process launcher stops (ffmpeg ended, temporaries
     * removed) as soon as that process is gone.
     */
    void stopWhenCoordinatorDies(String pid) {
        if (pid == null || pid.isBlank()) {
            return; // a pod: Kubernetes owns its life
        }
        Optional<ProcessHandle> coordinator = ProcessHandle.of(Long.parseLong(pid.strip()));
        Runnable gone = () -> {
            out.println("coordinator " + pid.strip() + " is gone: stopping");
            stop.set(true);
        };
        coordinator.ifPresentOrElse(c -> c.onExit().thenRun(gone), gone);
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
            String json = env.get(ITEMS);
            if (json == null || json.isBlank()) {
                return report(env, List.of(Outcome.failed(ITEMS + " is not set")), 2);
            }
            List<WorkItem> group = WorkJson.readItems(json);
            if (group.isEmpty()) {
                return report(env, List.of(Outcome.failed(ITEMS + " holds no item")), 2);
            }
            String name = name(env);
            group.forEach(i -> out.printf("item %d: %s -> %s%n", i.item(), i.source(), i.output()));
            Launch launch =
                    new Launch(0, 0, (item, p) -> out.println(ProgressLine.format(item, p)), stop::get, out::println);
            try {
                List<Outcome> outcomes = new ItemRunner(Tools.onPath(), name).run(group, launch);
                boolean allBad = outcomes.stream().allMatch(Outcome::badInput);
                return report(env, outcomes, allBad ? Outcome.EXIT_BAD_INPUT : Outcome.EXIT_DONE);
            } catch (StoppedException e) {
                return report(env, List.of(Outcome.failed("stopped")), 143);
            } catch (Exception e) {
                return report(env, List.of(Outcome.failed(e.getMessage() == null ? e.toString() : e.getMessage())), 1);
            }
        } catch (Exception e) {
            return report(env, List.of(Outcome.failed("cannot read the work items: " + e)), 2);
        } finally {
            finished.countDown();
        }
    }

    /**
     * The worker's name in results: {@code VIDBATCH_WORKER_NAME}, else "worker:" and the host
     * name, from {@code HOSTNAME} (set in every container and pod) without a lookup, since a
     * container without network (docker run --network none) cannot resolve its own name.
     */
    static String name(Map<String, String> env) {
        String name = env.get(NAME);
        if (name != null && !name.isBlank()) {
            return name;
        }
        String host = env.get("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown";
            }
        }
        return "worker:" + host;
    }

    private int report(Map<String, String> env, List<Outcome> outcomes, int exit) {
        String json = WorkJson.writeOutcomes(outcomes);
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
