package io.vidbatch.job;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Signals {@link JobEnds} when an execution of the job ends, whatever its outcome. */
@Named("jobEndListener")
@Dependent
public class JobEndListener extends AbstractJobListener {

    @Inject
    JobContext jobContext;

    @Inject
    JobEnds ends;

    @Override
    public void afterJob() {
        ends.ended(jobContext.getInstanceId());
    }
}
