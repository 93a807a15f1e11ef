package io.vidbatch.job.transcode;

import io.vidbatch.job.WorkEvent;
import io.vidbatch.work.WorkItem;
import jakarta.batch.api.chunk.listener.RetryProcessListener;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;
import java.util.logging.Logger;

/** Notes in the job log, and counts, which items a lost worker sends round again. */
@Named("itemFailureListener")
@Dependent
public class ItemFailureListener implements RetryProcessListener {

    private static final Logger LOG = Logger.getLogger(ItemFailureListener.class.getName());

    @Inject
    Event<WorkEvent> events;

    @Override
    public void onRetryProcessException(Object group, Exception e) {
        List<WorkItem> items = ((WorkGroup) group).items();
        events.fire(new WorkEvent.Retried(((WorkGroup) group).launcher().id(), items.size()));
        LOG.warning(() -> (items.size() == 1 ? "item " : "items ") + WorkItem.numbers(items) + " will be retried: "
                + e.getMessage());
    }
}
