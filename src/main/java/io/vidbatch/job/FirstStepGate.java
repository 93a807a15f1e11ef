package io.vidbatch.job;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Jobs have their first step recorded one at a time: embedded Derby refused identity values to
 * jobs started at the same moment (why: docs/decisions/001-first-step-one-job-at-a-time.md).
 */
@Named("firstStepGate")
@Dependent
public class FirstStepGate extends AbstractJobListener {

    @Inject
    JobContext jobContext;

    @Inject
    FirstStepTurns turns;

    @Override
    public void beforeJob() throws InterruptedException {
        turns.take(jobContext.getExecutionId());
    }

    /** An execution that ended before its plan ran (a restart past it, a failure) gives its turn back here. */
    @Override
    public void afterJob() {
        turns.giveBack(jobContext.getExecutionId());
    }
}
