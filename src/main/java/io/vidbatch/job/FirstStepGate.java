package io.vidbatch.job;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Jobs have their first step recorded one at a time. Recording a step inserts a row whose
 * identity value embedded Derby hands out without waiting for locks: jobs started at the same
 * moment made it refuse some (40XL1), and a refusal there fails the job before its plan
 * (LoadIT's twenty jobs at once, on a fresh server and again mid-run). The turn is taken on
 * the job thread before Liberty records the plan step and given back once the plan runs, a few
 * milliseconds later; everything after that goes on in parallel.
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
