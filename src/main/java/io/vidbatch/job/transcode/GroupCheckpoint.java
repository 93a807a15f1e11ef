package io.vidbatch.job.transcode;

import jakarta.batch.api.chunk.AbstractCheckpointAlgorithm;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Commits after every group of items, except after a partition's last one: that group's chunk
 * goes on to the reader's end of data, so the partition ends with one commit instead of two
 * (why: docs/decisions/004-one-commit-per-group.md).
 */
@Named("groupCheckpoint")
@Dependent
public class GroupCheckpoint extends AbstractCheckpointAlgorithm {

    /** The step property that sets the chunk transaction's timeout, read here so it is set in one place. */
    static final String TIMEOUT = "jakarta.transaction.global.timeout";

    @Inject
    StepContext stepContext;

    @Override
    public boolean isReadyToCheckpoint() {
        return StepThreadData.of(stepContext).moreToRead;
    }

    @Override
    public int checkpointTimeout() {
        return Integer.parseInt(
                stepContext.getProperties().getProperty(TIMEOUT, "0").strip());
    }
}
