package io.vidbatch.job.transcode;

import io.vidbatch.media.Part;
import io.vidbatch.store.WorkStore;
import io.vidbatch.work.Finished;
import io.vidbatch.work.WorkResult;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Records each finished item, done or failed with its reason, inside the chunk transaction that
 * also commits the checkpoint: a restart never runs a recorded item again. A video segment that
 * failed as bad input sends its input over to the whole-file item in the same transaction: a
 * valid source is never failed for being cut.
 */
@Named("workItemWriter")
@Dependent
public class WorkItemWriter extends AbstractItemWriter {

    private static final Logger LOG = Logger.getLogger(WorkItemWriter.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @Inject
    WorkStore store;

    @Inject
    @BatchProperty(name = "partition")
    String partition;

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
        long job = jobContext.getInstanceId();
        store.record(job, finished, jobContext.getExecutionId());
        for (Finished f : finished) {
            // A segment the source's own decoder could not start at (parameter sets given only at
            // the start of the stream, a cut the bitstream did not mark): the input goes whole.
            if (f.item().part() == Part.VIDEO_SEGMENT
                    && f.outcome().badInput()
                    && store.encodeWhole(job, f.item().input(), Integer.parseInt(partition))) {
                LOG.warning(() -> "input " + f.item().input() + " will be encoded whole: video segment "
                        + f.item().segment() + " could not be encoded on its own: "
                        + f.outcome().message());
            }
        }
    }
}
