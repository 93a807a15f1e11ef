package io.vidbatch.job.transcode;

import jakarta.batch.api.partition.PartitionCollector;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;

/** Sends what this partition finished since the last chunk to the coordinator's analyzer. */
@Named("progressCollector")
@Dependent
public class ProgressCollector implements PartitionCollector {

    @Inject
    StepContext stepContext;

    @Override
    public Serializable collectPartitionData() {
        PartitionTally tally = PartitionTally.of(stepContext);
        return tally.isEmpty() ? null : tally.drain();
    }
}
