package io.vidbatch.job.transcode;

import io.vidbatch.job.ExitStatus;
import jakarta.batch.api.partition.AbstractPartitionAnalyzer;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.logging.Logger;

/**
 * The coordinator's view of the partitioned step: adds up what the partitions report and
 * writes the job's progress (items, media seconds, encode speed) to the top-level job log.
 */
@Named("progressAnalyzer")
@Dependent
public class ProgressAnalyzer extends AbstractPartitionAnalyzer {

    private static final Logger LOG = Logger.getLogger(ProgressAnalyzer.class.getName());

    @Inject
    StepContext stepContext;

    @Inject
    JobContext jobContext;

    @Override
    public void analyzeCollectorData(Serializable data) throws Exception {
        if (!(data instanceof PartitionTally t)) {
            return;
        }
        PartitionTally sum = PartitionTally.of(stepContext);
        sum.add(t);
        double fps = sum.encodeSeconds > 0 ? sum.frames / sum.encodeSeconds : 0;
        LOG.info(String.format(
                "progress: %d of %d items this run (%d failed), %.0f media seconds, %.1f fps per worker",
                sum.done + sum.failed, sum.total, sum.failed, sum.mediaSeconds, fps));
    }

    /** A partition that failed says why in its exit status; the job's exit status carries it to users. */
    @Override
    public void analyzeStatus(BatchStatus status, String exitStatus) {
        if (status != BatchStatus.COMPLETED) {
            LOG.info("a partition ended " + status + (exitStatus != null ? " (" + exitStatus + ")" : ""));
        }
        if (status == BatchStatus.FAILED && exitStatus != null && !exitStatus.equals(status.name())) {
            jobContext.setExitStatus(ExitStatus.of(exitStatus));
        }
    }
}
