package io.vidbatch.job.transcode;

import io.vidbatch.config.Settings;
import io.vidbatch.job.FieldError;
import io.vidbatch.job.TranscodeParameters;
import io.vidbatch.store.WorkStore;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.partition.PartitionMapper;
import jakarta.batch.api.partition.PartitionPlan;
import jakarta.batch.api.partition.PartitionPlanImpl;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Spreads the pending items over {@code workers} partitions, longest first onto the least
 * loaded partition, so partitions finish close together. Runs again on restart over what is
 * still pending, which is why the plan always overrides the previous one.
 */
@Named("workItemMapper")
@Dependent
public class WorkItemMapper implements PartitionMapper {

    private static final Logger LOG = Logger.getLogger(WorkItemMapper.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @Inject
    WorkStore store;

    @Inject
    Settings settings;

    /** Given on restart to change the number of workers; otherwise the planned number is used. */
    @Inject
    @BatchProperty(name = "workers")
    String workersOverride;

    @Override
    public PartitionPlan mapPartitions() throws Exception {
        long job = jobContext.getInstanceId();
        int workers = workers(store.settings(job).workers(), workersOverride, settings.maxWorkers());
        List<WorkStore.Pending> pending = store.pending(job);
        int partitions = partitions(workers, pending.size());
        store.assignPartitions(job, assign(pending, partitions));
        PartitionTally.of(stepContext).total = pending.size();
        LOG.info(String.format("%d pending items over %d partitions", pending.size(), partitions));
        return plan(partitions);
    }

    /** The planned number of workers, or the one given on restart once it is checked. */
    static int workers(int planned, String override, int maxWorkers) {
        if (override == null || override.isBlank()) {
            return planned;
        }
        FieldError error = TranscodeParameters.checkWorkers(override.strip(), maxWorkers);
        if (error != null) {
            throw new IllegalArgumentException("invalid restart parameter: " + error);
        }
        return Integer.parseInt(override.strip());
    }

    /** One partition per worker, no more than there are items, and at least one. */
    static int partitions(int workers, int pending) {
        return Math.max(1, Math.min(workers, pending));
    }

    /**
     * Item number to partition: each item, in the order given (longest first), onto the partition
     * with the least media seconds so far (the lowest-numbered on a tie).
     */
    static Map<Integer, Integer> assign(List<WorkStore.Pending> pending, int partitions) {
        double[] load = new double[partitions];
        Map<Integer, Integer> assignment = new HashMap<>();
        for (WorkStore.Pending item : pending) {
            int least = 0;
            for (int p = 1; p < partitions; p++) {
                if (load[p] < load[least]) {
                    least = p;
                }
            }
            load[least] += Math.max(item.seconds(), 0.001);
            assignment.put(item.item(), least);
        }
        return assignment;
    }

    /** That many partitions, each on its own thread, told its number; replacing any earlier plan (a restart). */
    static PartitionPlan plan(int partitions) {
        PartitionPlanImpl plan = new PartitionPlanImpl();
        plan.setPartitions(partitions);
        plan.setThreads(partitions);
        plan.setPartitionsOverride(true);
        Properties[] props = new Properties[partitions];
        for (int p = 0; p < partitions; p++) {
            props[p] = new Properties();
            props[p].setProperty("partition", Integer.toString(p));
        }
        plan.setPartitionProperties(props);
        return plan;
    }
}
