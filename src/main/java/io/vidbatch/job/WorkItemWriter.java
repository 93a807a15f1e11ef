package io.vidbatch.job;

import io.vidbatch.launch.WorkResult;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.ArrayList;
import java.util.List;

/**
 * Records each finished item, done or failed with its reason, inside the chunk transaction that
 * also commits the checkpoint: a restart never runs a recorded item again.
 */
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
    public void writeItems(List<Object> groups) throws Exception {
        PartitionTally tally = PartitionTally.of(stepContext);
        List<Finished> finished = new ArrayList<>();
        for (Object g : groups) {
            for (Object o : (List<?>) g) {
                Finished f = (Finished) o;
                finished.add(f);
                if (f.outcome().done()) {
                    WorkResult r = f.outcome().result();
                    tally.done(f.item().seconds(), r.encodeSeconds(), r.frames());
                } else {
                    tally.failed(f.item().seconds());
                }
            }
        }
        store.record(jobContext.getInstanceId(), finished, jobContext.getExecutionId());
    }
}
