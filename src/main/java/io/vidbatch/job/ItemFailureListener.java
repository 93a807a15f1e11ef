package io.vidbatch.job;

import io.vidbatch.launch.WorkItem;
import jakarta.batch.api.chunk.listener.RetryProcessListener;
import jakarta.batch.api.chunk.listener.SkipProcessListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.logging.Logger;

/**
 * Records a skipped (failed) item with its reason in the same chunk transaction, so the item
 * is not tried again on restart; and notes retries in the job log.
 */
@Named("itemFailureListener")
@Dependent
public class ItemFailureListener implements SkipProcessListener, RetryProcessListener {

    private static final Logger LOG = Logger.getLogger(ItemFailureListener.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @Inject
    WorkStore store;

    @Override
    public void onSkipProcessItem(Object o, Exception e) throws Exception {
        WorkItem item = (WorkItem) o;
        store.markFailed(jobContext.getInstanceId(), item.item(), e.getMessage(), jobContext.getExecutionId());
        PartitionTally.of(stepContext).failed(item.seconds());
    }

    @Override
    public void onRetryProcessException(Object o, Exception e) {
        WorkItem item = (WorkItem) o;
        LOG.warning(() -> "item " + item.item() + " will be retried: " + e.getMessage());
    }
}
