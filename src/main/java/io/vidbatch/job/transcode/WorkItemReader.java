package io.vidbatch.job.transcode;

import io.vidbatch.job.WorkEvent;
import io.vidbatch.launch.LauncherKind;
import io.vidbatch.media.Part;
import io.vidbatch.store.JobSettings;
import io.vidbatch.store.WorkStore;
import io.vidbatch.work.WorkItem;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hands out this partition's pending items in groups of the job's {@code groupSize}: one group
 * is one batch item, run by one worker, committed in one chunk. The pending list is re-read on
 * every open (start, retry after rollback, restart), so the checkpoint carries no position:
 * the item table alone says what is left. It is read again when it runs dry, for the whole-file
 * item of an input whose segment failed here.
 */
@Named("workItemReader")
@Dependent
public class WorkItemReader extends AbstractItemReader {

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @Inject
    WorkStore store;

    @Inject
    Event<WorkEvent> events;

    @Inject
    @BatchProperty(name = "partition")
    String partition;

    private Deque<WorkItem> pending;
    /** Items handed out since open: still pending in the table until their chunk commits. */
    private final Set<Integer> handedOut = new HashSet<>();

    private int groupSize;
    private LauncherKind launcher;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        long job = jobContext.getInstanceId();
        JobSettings settings = store.settings(job);
        groupSize = Math.max(1, settings.groupSize());
        // Checked when the job was planned: a stored name no launcher has is a corrupt row.
        launcher = LauncherKind.of(settings.launcher())
                .orElseThrow(() ->
                        new IllegalStateException("job " + job + " names no known launcher: " + settings.launcher()));
        handedOut.clear();
        pending = new ArrayDeque<>(store.pendingItems(job, Integer.parseInt(partition)));
        events.fire(new WorkEvent.Pending(job, partition, launcher.id(), pending.size()));
    }

    @Override
    public Object readItem() throws Exception {
        long job = jobContext.getInstanceId();
        if (pending.isEmpty()) {
            store.pendingItems(job, Integer.parseInt(partition)).stream()
                    .filter(i -> !handedOut.contains(i.item()))
                    .forEach(pending::add);
        }
        List<WorkItem> group = new ArrayList<>();
        while (group.size() < groupSize && !pending.isEmpty()) {
            group.add(pending.poll());
        }
        group.forEach(i -> handedOut.add(i.item()));
        // Tells GroupCheckpoint whether this group's chunk should commit before the next read. A
        // segment's chunk commits before it too: a failed segment may send its input's
        // whole-file item here, which the next read must see.
        StepThreadData data = StepThreadData.of(stepContext);
        data.moreToRead = !pending.isEmpty() || group.stream().anyMatch(i -> i.part() == Part.VIDEO_SEGMENT);
        data.nextUp = pending.stream().limit(groupSize).toList();
        events.fire(new WorkEvent.Pending(job, partition, launcher.id(), pending.size()));
        return group.isEmpty() ? null : new WorkGroup(launcher, group);
    }

    /** Whatever is left (a stop, a failure) is no longer pending on this partition. */
    @Override
    public void close() {
        events.fire(new WorkEvent.Pending(
                jobContext.getInstanceId(), partition, launcher == null ? LauncherKind.LOCAL.id() : launcher.id(), 0));
    }
}
