package io.vidbatch.job.transcode;

import io.vidbatch.work.WorkItem;
import jakarta.batch.runtime.context.StepContext;

import java.util.List;

/**
 * What one step thread (a partition, or the coordinator's thread of the partitioned step) keeps
 * in its StepContext's transient user data, shared by the artifacts that run on it.
 */
final class StepThreadData {

    final PartitionTally tally = new PartitionTally();

    /** In a partition: whether its reader has groups left after the one it returned last. */
    boolean moreToRead = true;

    /** In a partition: the items its reader will hand out next, as far as it knows them now. */
    List<WorkItem> nextUp = List.of();

    static StepThreadData of(StepContext step) {
        if (step.getTransientUserData() instanceof StepThreadData data) {
            return data;
        }
        StepThreadData data = new StepThreadData();
        step.setTransientUserData(data);
        return data;
    }
}
