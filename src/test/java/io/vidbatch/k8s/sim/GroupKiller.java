package io.vidbatch.k8s.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * SIGKILLs whole process groups, as tearing down a container kills everything in it. The JDK
 * cannot signal a group, so kill(1) does it: one call for every group queued within 100 ms,
 * which keeps the cost per pod far below one extra process.
 */
final class GroupKiller {
    private static final LinkedBlockingQueue<Long> QUEUE = new LinkedBlockingQueue<>();

    static {
        Thread t = new Thread(GroupKiller::run, "sim-group-killer");
        t.setDaemon(true);
        t.start();
    }

    private GroupKiller() {}

    static void kill(long pgid) {
        QUEUE.offer(pgid);
    }

    private static void run() {
        for (; ; ) {
            try {
                List<Long> groups = new ArrayList<>();
                groups.add(QUEUE.take());
                Thread.sleep(100);
                QUEUE.drainTo(groups);
                List<String> argv = new ArrayList<>(List.of("kill", "-KILL", "--"));
                groups.forEach(g -> argv.add("-" + g));
                new ProcessBuilder(argv)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // no kill(1): leftovers live on, as they would without setsid
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
