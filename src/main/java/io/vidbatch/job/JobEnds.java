package io.vidbatch.job;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tells whoever is waiting for a job on this server that it has ended (completed, failed or stopped). */
@ApplicationScoped
public class JobEnds {

    /**
     * Executions that ended here lately. Liberty records an execution's final state a moment
     * after its end listeners run: a wait that looked at the job in that moment saw it running
     * and registered after the signal, and would otherwise sleep until its timeout.
     */
    static final int REMEMBERED = 1000;

    private final Map<Long, List<Runnable>> waiting = new HashMap<>();

    private final Set<Long> ended = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    /**
     * Runs {@code callback} once when {@code execution}, the job's current one, ends here; at
     * once if it already has.
     */
    public void onEnd(long job, long execution, Runnable callback) {
        boolean over;
        synchronized (this) {
            over = ended.contains(execution);
            if (!over) {
                waiting.computeIfAbsent(job, k -> new ArrayList<>()).add(callback);
            }
        }
        if (over) {
            callback.run();
        }
    }

    public synchronized void forget(long job, Runnable callback) {
        List<Runnable> callbacks = waiting.get(job);
        if (callbacks != null) {
            callbacks.remove(callback);
            if (callbacks.isEmpty()) {
                waiting.remove(job);
            }
        }
    }

    void ended(long job, long execution) {
        List<Runnable> callbacks;
        synchronized (this) {
            ended.add(execution);
            callbacks = waiting.remove(job);
        }
        if (callbacks != null) {
            callbacks.forEach(Runnable::run);
        }
    }
}
