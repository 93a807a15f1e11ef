package io.vidbatch.schedule;

import io.vidbatch.api.SubmitRequest;
import io.vidbatch.config.Settings;
import io.vidbatch.job.Inputs;
import io.vidbatch.job.TranscodeJob;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RunAs;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.ws.rs.WebApplicationException;

import java.io.StringReader;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires the schedules. A start-up singleton that runs as the scheduler identity ({@code @RunAs},
 * mapped to the user {@code scheduler} in server.xml, who holds batchSubmitter only): the
 * executor carries the identity of whoever schedules a task into the task, so tasks scheduled
 * here start their jobs as the scheduler, never as the admin who last edited a schedule.
 */
@Singleton
@Startup
@RunAs("schedulerRunAs")
public class ScheduleRunner {

    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class.getName());
    /** How long a new file's size must hold still before a run takes it: a file still being copied in waits. */
    static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(2);

    @Resource
    ManagedScheduledExecutorService executor;

    @Inject
    ScheduleStore store;

    @Inject
    Settings settings;

    private final Map<String, ScheduledFuture<?>> planned = new ConcurrentHashMap<>();

    @PostConstruct
    void start() {
        try {
            store.all().forEach(this::plan);
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "cannot read the schedules; none will fire until one is saved again", e);
        }
    }

    @PreDestroy
    void stop() {
        planned.values().forEach(f -> f.cancel(false));
    }

    /** (Re)plans a schedule after it was saved, or forgets it once deleted (null). */
    public void changed(String name, Schedule saved) {
        ScheduledFuture<?> old = planned.remove(name);
        if (old != null) {
            old.cancel(false);
        }
        if (saved != null) {
            plan(saved);
        }
    }

    private void plan(Schedule s) {
        if (s.enabled()) {
            planned.put(s.name(), executor.schedule(() -> fire(s.name()), s.trigger()));
            LOG.info(() -> "schedule " + s.name() + " (" + s.cron() + ", " + s.zone() + ") fires next at "
                    + s.nextFire(java.time.ZonedDateTime.now()).orElse(null));
        }
    }

    /** One firing: skipped while the schedule's previous job still runs, else its job starts. */
    void fire(String name) {
        Instant now = Instant.now();
        try {
            Schedule s = store.named(name).orElse(null);
            if (s == null || !s.enabled()) {
                return;
            }
            JobOperator operator = BatchRuntime.getJobOperator();
            Long running = stillRunning(operator, store.runs(name, 20));
            if (running != null) {
                store.recordRun(name, new ScheduleStore.Run(now, "SKIPPED", null, "job " + running + " of the previous run is still running"));
                LOG.info(() -> "schedule " + name + ": skipped, job " + running + " still runs");
                return;
            }
            SubmitRequest job;
            try (JsonReader r = Json.createReader(new StringReader(s.job()))) {
                job = SubmitRequest.of(r.readObject());
            }
            Map<String, Long> arrived = Map.of();
            if (s.watch()) {
                arrived = WatchedFolder.arrived(Inputs.accepted(job.inputs(), settings.roots()), store.taken(name), SETTLE);
                if (arrived.isEmpty()) {
                    store.recordRun(name, new ScheduleStore.Run(now, "SKIPPED", null, "nothing new in " + job.inputs()));
                    return;
                }
                job = new SubmitRequest(job.values(), List.copyOf(arrived.keySet()));
            }
            long instance = operator.getJobInstance(operator.start(TranscodeJob.NAME, job.checked(settings))).getInstanceId();
            if (!arrived.isEmpty()) {
                store.take(name, arrived, instance);
            }
            store.recordRun(name, new ScheduleStore.Run(now, "STARTED", instance,
                    s.watch() ? arrived.size() + " new file(s)" : null));
            LOG.info(() -> "schedule " + name + ": started job " + instance);
        } catch (WebApplicationException e) {
            record(name, now, "the job's parameters no longer hold: " + e.getResponse().getEntity());
        } catch (RuntimeException | SQLException e) {
            record(name, now, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping: this firing is dropped unrecorded
        }
    }

    private static Long stillRunning(JobOperator operator, List<ScheduleStore.Run> runs) {
        for (ScheduleStore.Run r : runs) {
            if (r.jobInstance() == null) {
                continue;
            }
            List<JobExecution> executions = operator.getJobExecutions(TranscodeJob.instance(r.jobInstance()));
            BatchStatus status = executions.stream().max(java.util.Comparator.comparingLong(JobExecution::getExecutionId))
                    .orElseThrow().getBatchStatus();
            return TranscodeJob.running(status) ? r.jobInstance() : null;
        }
        return null;
    }

    private void record(String name, Instant at, String why) {
        LOG.warning(() -> "schedule " + name + ": no job started: " + why);
        try {
            store.recordRun(name, new ScheduleStore.Run(at, "FAILED", null, why));
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "cannot record a run of schedule " + name, e);
        }
    }
}
