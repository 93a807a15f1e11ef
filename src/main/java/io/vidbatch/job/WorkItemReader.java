package io.vidbatch.job;

import io.vidbatch.launch.WorkItem;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Hands out this partition's pending items. The pending list is re-read on every open
 * (start, retry after rollback, restart), so the checkpoint carries no position: the item
 * table alone says what is left.
 */
@Named("workItemReader")
@Dependent
public class WorkItemReader extends AbstractItemReader {

    @Inject
    JobContext jobContext;

    @Inject
    WorkStore store;

    @Inject
    @BatchProperty(name = "partition")
    String partition;

    private Deque<WorkItem> pending;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        pending = new ArrayDeque<>(store.pendingItems(jobContext.getInstanceId(), Integer.parseInt(partition)));
    }

    @Override
    public Object readItem() {
        return pending.poll();
    }
}
