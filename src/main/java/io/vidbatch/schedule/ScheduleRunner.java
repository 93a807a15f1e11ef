package io.vidbatch.schedule;

import io.vidbatch.config.Settings;
import io.vidbatch.job.ExpansionDeadline;
import io.vidbatch.job.InputLists;
import io.vidbatch.job.Inputs;
import io.vidbatch.job.InvalidJobException;
import io.vidbatch.job.JobRequest;
import io.vidbatch.job.TranscodeJob;
import io.vidbatch.job.TranscodeParameters;
import io.vidbatch.notify.Notifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RunAs;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;

import java.io.StringReader;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires the schedules. A start-up singleton that runs as the scheduler identity ({@code @RunAs},
 * mapped to the user {@code scheduler} in server.xml, who holds batchSubmitter only): the
 * executor carries the identity of whoever schedules a task into the task, so tasks scheduled
 * here start their jobs as the scheduler, never as the admin who last edited a schedule, and a
 * run asked for over REST ({@link #runNow}) starts its job as the scheduler too.
 */
@Singleton
@Startup
// Under the production profile the guard may stop the server: no schedule fires before it has spoken.
@DependsOn("ProductionGuard")
@RunAs("schedulerRunAs")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN) // firings of different schedules go on at once; see locks
@TransactionManagement(TransactionManagementType.BEAN) // a job is started outside any transaction of ours
public class ScheduleRunner {

    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class.getName());
    /** How long a new file's size must hold still before a run takes it: a file still being copied in waits. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    @Resource
    ManagedScheduledExecutorService executor;

    /** The executor the job's own steps use (the default one): refused tasks there mean the server is stopping. */
    @Resource
    ManagedExecutorService jobsExecutor;

    @Resource
    SessionContext context;

    @Inject
    ScheduleStore store;

    @Inject
    Settings settings;

    @Inject
    InputLists lists;

    @Inject
    Notifier notifier;

    /** Liberty's JobOperator; a unit test puts its own in its place. */
    Supplier<JobOperator> operators = BatchRuntime::getJobOperator;

    private final Map<String, ScheduledFuture<?>> planned = new ConcurrentHashMap<>();
    /** One firing of a schedule at a time (its cron, a catch-up, a request): the overlap check needs it. */
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @PostConstruct
    void start() {
        // Firings due from here on are the cron's; those before were missed while the server was down.
        Instant up = Instant.now();
        try {
            for (Schedule s : store.all()) {
                plan(s);
                if (s.enabled()) {
                    executor.execute(() -> catchUp(s.name(), up));
                }
            }
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

    /**
     * Fires a schedule now, on request (a Kubernetes CronJob, an operator), enabled or not: as the
     * scheduler, with the same no-overlap rule and watch-folder ledger as its cron firings.
     */
    public ScheduleStore.Run runNow(String name) {
        String caller = context.getCallerPrincipal().getName();
        return fire(name, "asked by " + caller);
    }

    private void plan(Schedule s) {
        if (s.enabled()) {
            planned.put(s.name(), executor.schedule(() -> fire(s.name(), null), s.trigger()));
            LOG.info(() -> "schedule " + s.name() + " (" + s.cron() + ", " + s.zone() + ") fires next at "
                    + s.nextFire(ZonedDateTime.now()).orElse(null));
        }
    }

    /**
     * At start-up: a firing that fell due while the server was down runs once now if the latest one is
     * within the schedule's grace, else it is recorded as missed.
     */
    void catchUp(String name, Instant up) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        lock.lock();
        try {
            Schedule s = store.named(name).orElse(null);
            if (s == null || !s.enabled()) {
                return;
            }
            Instant since =
                    store.lastFiredAt(name).filter(t -> t.isAfter(s.savedAt())).orElse(s.savedAt());
            Instant now = Instant.now();
            Schedule.Missed missed = s.missed(since, up).orElse(null);
            if (missed == null) {
                return;
            }
            String what = (missed.count() == 1
                            ? "the firing due at " + missed.last()
                            : missed.count() + " firings due from " + missed.first()
                                    + (missed.countedFromLookBack() ? " (or earlier)" : "") + " to " + missed.last())
                    + " fell while the server was down";
            if (missed.withinGrace(s.grace(), now)) {
                fire(
                        name,
                        what + "; run at start-up, within the grace of "
                                + s.grace().toSeconds() + " s");
            } else {
                ScheduleStore.Run run = new ScheduleStore.Run(
                        missed.last(),
                        "MISSED",
                        null,
                        what + "; the last was "
                                + Duration.between(missed.last(), now).toSeconds()
                                + " s late at start-up, beyond the grace of "
                                + s.grace().toSeconds() + " s");
                store.recordRun(name, run);
                notifier.scheduleRun(notifyOf(s), name, run.outcome(), run.firedAt(), run.message());
                LOG.warning(() -> "schedule " + name + ": " + what + ", too late to run");
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "schedule " + name + ": cannot tell whether a firing was missed", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * One firing: skipped while the schedule's previous job still runs, else its job starts.
     *
     * @param why what made it fire, for its history (null: its cron)
     * @return what it recorded, or null for a schedule deleted or disabled meanwhile
     */
    ScheduleStore.Run fire(String name, String why) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        lock.lock();
        try {
            return fireLocked(name, why);
        } finally {
            lock.unlock();
        }
    }

    private ScheduleStore.Run fireLocked(String name, String why) {
        Instant now = Instant.now();
        if (stopping()) {
            // Left unrecorded: the start-up after this stop owes it (within the grace).
            LOG.info(() -> "schedule " + name + ": not fired, the server is stopping");
            return null;
        }
        try {
            Schedule s = store.named(name).orElse(null);
            if (s == null || !s.enabled() && why == null) {
                return null;
            }
            JobOperator operator = operators.get();
            Long running = stillRunning(operator, store.runs(name, 20));
            if (running != null) {
                LOG.info(() -> "schedule " + name + ": skipped, job " + running + " still runs");
                return record(
                        name,
                        new ScheduleStore.Run(
                                now,
                                "SKIPPED",
                                null,
                                note(why, "job " + running + " of the previous run is still running")));
            }
            JobRequest job;
            try (JsonReader r = Json.createReader(new StringReader(s.job()))) {
                job = JobRequest.of(r.readObject());
            }
            if (!s.watch()) {
                long instance = start(operator, job);
                return record(name, new ScheduleStore.Run(now, "STARTED", instance, why));
            }
            List<Inputs.Candidate> found;
            try {
                // This firing holds the schedule's lock: a folder too big to walk must not hold it for ever.
                found = Inputs.expand(
                        job.inputs(), settings.roots(), ExpansionDeadline.after(ExpansionDeadline.DEFAULT));
            } catch (ExpansionDeadline.Passed e) {
                return failed(name, now, note(why, e.getMessage()));
            }
            List<String> gone = found.stream()
                    .filter(Inputs.Candidate::gone)
                    .map(c -> c.given() + ": " + c.rejection())
                    .toList();
            if (!gone.isEmpty()) {
                // Not "nothing new": an inbox that vanished (an unmounted share) must be seen, not skipped nightly.
                return failed(name, now, note(why, "cannot watch " + String.join("; ", gone)));
            }
            List<Path> present = found.stream()
                    .filter(Inputs.Candidate::accepted)
                    .map(Inputs.Candidate::real)
                    .toList();
            Map<String, Long> arrived = WatchedFolder.arrived(present, store.taken(name), SETTLE);
            if (arrived.isEmpty()) {
                return record(
                        name, new ScheduleStore.Run(now, "SKIPPED", null, note(why, "nothing new in " + job.inputs())));
            }
            // Reserved before the job starts: however the start goes, no later run takes these files again.
            store.reserve(name, arrived);
            long instance;
            try {
                instance = start(operator, job.withInputs(List.copyOf(arrived.keySet())));
            } catch (RuntimeException | SQLException e) {
                store.release(name, arrived.keySet());
                throw e;
            }
            store.assign(name, arrived.keySet(), instance);
            return record(
                    name, new ScheduleStore.Run(now, "STARTED", instance, note(why, arrived.size() + " new file(s)")));
        } catch (InvalidJobException e) {
            return failed(name, now, note(why, "the job's parameters no longer hold: " + e.getMessage()));
        } catch (RuntimeException | SQLException e) {
            return failed(name, now, note(why, e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread()
                    .interrupt(); // the server is stopping: this firing is owed, and caught up at start-up
            return null;
        }
    }

    /**
     * While the server stops (Liberty waits up to 30 s for work to finish first), cron triggers
     * still fire but Liberty's executors refuse new tasks: a job started now would fail in its
     * first step, and the firing would look done.
     */
    private boolean stopping() {
        try {
            jobsExecutor.submit(() -> {}).cancel(false);
            return false;
        } catch (RejectedExecutionException e) {
            return true;
        }
    }

    private long start(JobOperator operator, JobRequest job) throws SQLException {
        Properties props = lists.attach(job.checked(settings), job.inputs());
        return operator.getJobInstance(TranscodeJob.start(operator, props)).getInstanceId();
    }

    /** The webhooks the schedule's job names; read leniently, since a job that no longer parses is why a run fails. */
    private static String notifyOf(Schedule s) {
        try (JsonReader r = Json.createReader(new StringReader(s.job()))) {
            return r.readObject().get(TranscodeParameters.NOTIFY) instanceof JsonString n ? n.getString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String note(String why, String what) {
        return why == null ? what : why + "; " + what;
    }

    private static Long stillRunning(JobOperator operator, List<ScheduleStore.Run> runs) {
        for (ScheduleStore.Run r : runs) {
            if (r.jobInstance() == null) {
                continue;
            }
            List<JobExecution> executions = operator.getJobExecutions(TranscodeJob.instance(r.jobInstance()));
            BatchStatus status = executions.stream()
                    .max(Comparator.comparingLong(JobExecution::getExecutionId))
                    .orElseThrow()
                    .getBatchStatus();
            return TranscodeJob.running(status) ? r.jobInstance() : null;
        }
        return null;
    }

    private ScheduleStore.Run record(String name, ScheduleStore.Run run) throws SQLException {
        store.recordRun(name, run);
        if (run.jobInstance() != null) {
            LOG.info(() -> "schedule " + name + ": started job " + run.jobInstance());
        }
        return run;
    }

    private ScheduleStore.Run failed(String name, Instant at, String why) {
        LOG.warning(() -> "schedule " + name + ": no job started: " + why);
        ScheduleStore.Run run = new ScheduleStore.Run(at, "FAILED", null, why);
        try {
            store.recordRun(name, run);
            store.named(name)
                    .ifPresent(sched -> notifier.scheduleRun(notifyOf(sched), name, run.outcome(), run.firedAt(), why));
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "cannot record a run of schedule " + name, e);
        }
        return run;
    }
}
