package io.vidbatch.job;

import io.vidbatch.notify.Notifier;
import io.vidbatch.store.JobSearch;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Signals {@link JobEnds} when an execution of the job ends, whatever its outcome, drops the
 * job's pending items from the metrics should a partition have ended without closing its reader,
 * and puts the job's end into the webhook outbox for the endpoints its {@code notify} names.
 */
@Named("jobEndListener")
@Dependent
public class JobEndListener extends AbstractJobListener {

    @Inject
    JobContext jobContext;

    @Inject
    JobEnds ends;

    @Inject
    Event<WorkEvent> events;

    @Inject
    Notifier notifier;

    @Inject
    @BatchProperty
    String notify;

    @Inject
    JobSearch jobs;

    @Override
    public void afterJob() {
        notifier.jobEnded(
                notify,
                submitter(),
                jobContext.getInstanceId(),
                jobContext.getExecutionId(),
                finalStatus(jobContext.getBatchStatus()),
                jobContext.getExitStatus(),
                JobOutcome.ofExitStatus(jobContext.getExitStatus())
                        .map(Enum::name)
                        .orElse(null));
        ends.ended(jobContext.getInstanceId(), jobContext.getExecutionId());
        events.fire(new WorkEvent.JobEnded(jobContext.getInstanceId()));
    }

    /** Whose job it was, for the receiver (an endpoint any submitter may name); null if it cannot be read. */
    private String submitter() {
        if (notify == null || notify.isBlank()) {
            return null; // nobody to tell: no query
        }
        try {
            return jobs.submitter(jobContext.getInstanceId());
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    /**
     * The status Liberty records a moment after this listener: a job that ends normally is still
     * STARTED here (a fail transition has set FAILED already, a stop STOPPING).
     */
    static String finalStatus(BatchStatus now) {
        return switch (now) {
            case STARTED, STARTING, COMPLETED -> "COMPLETED";
            case FAILED, ABANDONED -> "FAILED";
            case STOPPING, STOPPED -> "STOPPED";
        };
    }
}
