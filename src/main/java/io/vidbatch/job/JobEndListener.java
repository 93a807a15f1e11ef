package io.vidbatch.job;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Signals {@link JobEnds} when an execution of the job ends, whatever its outcome, and drops the
 * job's pending items from the metrics should a partition have ended without closing its reader.
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

    @Override
    public void afterJob() {
        ends.ended(jobContext.getInstanceId(), jobContext.getExecutionId());
        events.fire(new WorkEvent.JobEnded(jobContext.getInstanceId()));
    }
}
