package io.vidbatch.job;

import io.vidbatch.launch.WorkItem;
import jakarta.batch.api.chunk.listener.RetryProcessListener;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

import java.util.List;
import java.util.logging.Logger;

/** Notes in the job log which items a lost worker sends round again. */
@Named("itemFailureListener")
@Dependent
public class ItemFailureListener implements RetryProcessListener {

    private static final Logger LOG = Logger.getLogger(ItemFailureListener.class.getName());

    @Override
    public void onRetryProcessException(Object group, Exception e) {
        List<WorkItem> items = ((WorkGroup) group).items();
        LOG.warning(() -> (items.size() == 1 ? "item " : "items ") + WorkItem.numbers(items) + " will be retried: " + e.getMessage());
    }
}
