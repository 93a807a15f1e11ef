package io.vidbatch.job;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Tells whoever is waiting for a job on this server that it has ended (completed, failed or stopped). */
@ApplicationScoped
public class JobEnds {

    private final Map<Long, List<Runnable>> waiting = new ConcurrentHashMap<>();

    /** Runs {@code callback} once when the job's current execution ends here. */
    public void onEnd(long job, Runnable callback) {
        waiting.computeIfAbsent(job, k -> new CopyOnWriteArrayList<>()).add(callback);
    }

    public void forget(long job, Runnable callback) {
        waiting.computeIfPresent(job, (k, l) -> {
            l.remove(callback);
            return l.isEmpty() ? null : l;
        });
    }

    void ended(long job) {
        List<Runnable> callbacks = waiting.remove(job);
        if (callbacks != null) {
            callbacks.forEach(Runnable::run);
        }
    }
}
