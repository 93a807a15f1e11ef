package io.vidbatch.job;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;

import java.util.function.BooleanSupplier;

/**
 * True once a stop has been requested for the job execution. Jakarta Batch only stops a chunk
 * step between chunks; a long encode must hear about the stop while it runs, so the item's
 * wait asks the job repository, at most once a second.
 */
final class StopSignal implements BooleanSupplier {

    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private final long execution;
    private final JobOperator operator = BatchRuntime.getJobOperator();
    private long lastCheck;
    private boolean stopping;

    StopSignal(long execution) {
        this.execution = execution;
    }

    @Override
    public boolean getAsBoolean() {
        long now = System.nanoTime();
        if (!stopping && now - lastCheck >= CHECK_EVERY_NANOS) {
            lastCheck = now;
            BatchStatus s = operator.getJobExecution(execution).getBatchStatus();
            stopping = s == BatchStatus.STOPPING || s == BatchStatus.STOPPED;
        }
        return stopping;
    }
}
