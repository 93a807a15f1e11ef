package io.vidbatch.job;

import io.vidbatch.media.Progress;
import io.vidbatch.store.WorkStore;
import io.vidbatch.work.WorkItem;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live progress of the items running right now on this coordinator. In memory on purpose:
 * it changes twice a second per item and is worthless after a restart; what is durable
 * (done, failed) is in the {@link WorkStore}.
 */
@ApplicationScoped
public class ProgressBoard {

    /** An item in flight. */
    public record Running(long job, int item, int partition, String launcher, Instant started, Progress progress) {}

    private final Map<String, Running> running = new ConcurrentHashMap<>();

    public void started(WorkItem item, int partition, String launcher) {
        running.put(
                key(item),
                new Running(item.jobInstance(), item.item(), partition, launcher, Instant.now(), Progress.NONE));
    }

    /** The first progress of an item marks its real start: the items of a group run one after another. */
    public void update(WorkItem item, Progress p) {
        running.computeIfPresent(
                key(item),
                (k, r) -> new Running(
                        r.job(),
                        r.item(),
                        r.partition(),
                        r.launcher(),
                        r.progress() == Progress.NONE ? Instant.now() : r.started(),
                        p));
    }

    public void finished(WorkItem item) {
        running.remove(key(item));
    }

    public List<Running> running(long job) {
        return running.values().stream()
                .filter(r -> r.job() == job)
                .sorted(Comparator.comparingInt(Running::item))
                .toList();
    }

    /** Frames per second of every item running on this launcher right now, added up. */
    public double fps(String launcher) {
        return running.values().stream()
                .filter(r -> r.launcher().equals(launcher))
                .mapToDouble(r -> r.progress().fps())
                .sum();
    }

    private static String key(WorkItem item) {
        return item.jobInstance() + "/" + item.item();
    }
}
