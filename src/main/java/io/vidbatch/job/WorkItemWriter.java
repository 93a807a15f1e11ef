package io.vidbatch.job;

import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;

/** Marks finished items done, inside the chunk transaction that also commits the checkpoint. */
@Named("workItemWriter")
@Dependent
public class WorkItemWriter extends AbstractItemWriter {

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @Inject
    WorkStore store;

    @Override
    public void writeItems(List<Object> items) throws Exception {
        PartitionTally tally = PartitionTally.of(stepContext);
        for (Object o : items) {
            Finished f = (Finished) o;
            store.markDone(jobContext.getInstanceId(), f.item().item(), f.result(), jobContext.getExecutionId());
            tally.done(f.item().seconds(), f.result().encodeSeconds(), f.result().frames());
        }
    }
}
