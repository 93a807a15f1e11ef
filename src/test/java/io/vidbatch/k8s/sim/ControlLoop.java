package io.vidbatch.k8s.sim;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one thread all simulated controllers run on. It reconciles right after any store change
 * (so a finished process shows in the API within milliseconds) and every tick regardless (for
 * timers: grace periods, TTLs, deadlines). Work from other threads is posted, never run there.
 */
final class ControlLoop implements AutoCloseable {
    private static final Runnable WAKE = () -> {};

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final List<Runnable> reconcilers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final long tickMillis;
    private final Thread thread;
    private volatile boolean running = true;

    ControlLoop(long tickMillis) {
        this.tickMillis = tickMillis;
        this.thread = new Thread(this::run, "sim-control-loop");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void addReconciler(Runnable r) {
        reconcilers.add(r);
    }

    void post(Runnable task) {
        tasks.offer(task);
    }

    /** Many wakes before the loop gets round to it make one pass. */
    void wake() {
        if (wakePending.compareAndSet(false, true)) {
            tasks.offer(WAKE);
        }
    }

    boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        while (running) {
            try {
                Runnable task = tasks.poll(tickMillis, TimeUnit.MILLISECONDS);
                while (task != null) {
                    if (task == WAKE) {
                        wakePending.set(false);
                    } else {
                        guarded(task);
                    }
                    task = tasks.poll();
                }
                for (Runnable r : reconcilers) {
                    guarded(r);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // A controller bug must show, but not stop the cluster.
            System.err.println("[sim] control loop: " + e);
            e.printStackTrace();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
