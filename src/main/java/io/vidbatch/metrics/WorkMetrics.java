package io.vidbatch.metrics;

import io.vidbatch.job.ProgressBoard;
import io.vidbatch.job.WorkEvent;
import io.vidbatch.launch.LauncherKind;
import io.vidbatch.work.Outcome;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work's metrics, per launcher, in the application registry (Liberty's {@code /metrics}).
 * Registered for every launcher when the application starts, so a scrape sees zeros rather than
 * no series before the first job, and {@code rate()} has a starting point.
 */
@ApplicationScoped
public class WorkMetrics {

    static final String LAUNCHER = "launcher";

    @Inject
    MetricRegistry registry;

    @Inject
    ProgressBoard board;

    private final Map<String, PerLauncher> launchers = new ConcurrentHashMap<>();

    /**
     * What each partition's reader has yet to hand out, by job instance and partition. A reader
     * sets its partition's figure rather than adding to a sum, so a reader reopened after a
     * rollback, a restart or a close that never came replaces its old figure instead of piling
     * a second one on top.
     */
    private final Map<String, Held> pending = new ConcurrentHashMap<>();

    private record Held(String launcher, int items) {}

    private record PerLauncher(
            Counter done, Counter failed, Counter retried, Counter frames, Timer encode, AtomicInteger active) {}

    @PostConstruct
    void register() {
        for (String name : LauncherKind.ids()) {
            Tag tag = new Tag(LAUNCHER, name);
            AtomicInteger active = new AtomicInteger();
            launchers.put(
                    name,
                    new PerLauncher(
                            registry.counter(
                                    meta(
                                            "vidbatch.items.done",
                                            "Work items a worker finished and verified",
                                            MetricUnits.NONE),
                                    tag),
                            registry.counter(
                                    meta(
                                            "vidbatch.items.failed",
                                            "Work items a worker gave up on: bad input or a failed encode",
                                            MetricUnits.NONE),
                                    tag),
                            registry.counter(
                                    meta(
                                            "vidbatch.items.retried",
                                            "Work items sent round again because their worker was lost",
                                            MetricUnits.NONE),
                                    tag),
                            registry.counter(
                                    meta(
                                            "vidbatch.frames.encoded",
                                            "Video frames of finished work items",
                                            MetricUnits.NONE),
                                    tag),
                            registry.timer(
                                    meta(
                                            "vidbatch.encode",
                                            "Wall time of each finished item's encode",
                                            MetricUnits.SECONDS),
                                    tag),
                            active));
            registry.gauge(
                    meta(
                            "vidbatch.workers.active",
                            "Groups of work items a worker is running right now",
                            MetricUnits.NONE),
                    active::get,
                    tag);
            registry.gauge(
                    meta(
                            "vidbatch.items.pending",
                            "Items of running partitions not yet handed to a worker",
                            MetricUnits.NONE),
                    () -> pendingOf(name),
                    tag);
            registry.gauge(
                    meta(
                            "vidbatch.encode.frames",
                            "Encode speed of the items running right now, added up",
                            MetricUnits.PER_SECOND),
                    () -> board.fps(name),
                    tag);
        }
    }

    /** CDI makes application-scoped beans on first use; this makes the series exist from the start. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // Being called is the point: it makes this bean, whose @PostConstruct registers the series.
    }

    void on(@Observes WorkEvent.WorkerStarted e) {
        of(e.launcher()).active().incrementAndGet();
    }

    void on(@Observes WorkEvent.WorkerEnded e) {
        of(e.launcher()).active().decrementAndGet();
    }

    void on(@Observes WorkEvent.GroupFinished e) {
        PerLauncher m = of(e.launcher());
        for (Outcome o : e.outcomes()) {
            if (!o.done()) {
                m.failed().inc();
                continue;
            }
            m.done().inc();
            m.frames().inc(o.result().frames());
            // Dry runs encode nothing: an encode time of zero would only drag the average down.
            if (o.result().encodeSeconds() > 0) {
                m.encode().update(Duration.ofNanos(Math.round(o.result().encodeSeconds() * 1e9)));
            }
        }
    }

    void on(@Observes WorkEvent.Retried e) {
        of(e.launcher()).retried().inc(e.items());
    }

    void on(@Observes WorkEvent.Pending e) {
        String key = e.job() + "/" + e.partition();
        if (e.items() <= 0) {
            pending.remove(key);
        } else {
            pending.put(key, new Held(e.launcher(), e.items()));
        }
    }

    /** Nothing of an ended execution is pending any more (a restart's readers count afresh). */
    void on(@Observes WorkEvent.JobEnded e) {
        pending.keySet().removeIf(k -> k.startsWith(e.job() + "/"));
    }

    private int pendingOf(String launcher) {
        return pending.values().stream()
                .filter(h -> h.launcher().equals(launcher))
                .mapToInt(Held::items)
                .sum();
    }

    private PerLauncher of(String launcher) {
        PerLauncher m = launchers.get(launcher);
        if (m == null) {
            throw new IllegalArgumentException("no launcher '" + launcher + "'");
        }
        return m;
    }

    private static Metadata meta(String name, String description, String unit) {
        return Metadata.builder()
                .withName(name)
                .withDescription(description)
                .withUnit(unit)
                .build();
    }
}
