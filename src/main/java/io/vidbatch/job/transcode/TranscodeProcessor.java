package io.vidbatch.job.transcode;

import io.vidbatch.job.ExitStatus;
import io.vidbatch.job.ProgressBoard;
import io.vidbatch.job.WorkEvent;
import io.vidbatch.launch.Launcher;
import io.vidbatch.launch.Launchers;
import io.vidbatch.launch.WorkerUnavailableException;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.work.Finished;
import io.vidbatch.work.Launch;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.WorkItem;
import io.vidbatch.work.WorkResult;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Hands one group of items to the job's launcher and waits for it: decode → process → encode
 * happen in the worker (this JVM, a worker process or a pod). A stop request ends the worker and
 * leaves the group pending for a restart.
 */
@Named("transcodeProcessor")
@Dependent
public class TranscodeProcessor implements ItemProcessor {

    private static final Logger LOG = Logger.getLogger(TranscodeProcessor.class.getName());
    private static final String WORKER_LOST = "worker lost: ";

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @Inject
    Launchers launchers;

    @Inject
    ProgressBoard board;

    @Inject
    Event<WorkEvent> events;

    @Inject
    @BatchProperty(name = "partition")
    String partition;

    @Inject
    QueuedInputs queued;

    private Launcher launcher;
    private String launcherName;

    @Override
    public Object processItem(Object o) throws Exception {
        WorkGroup work = (WorkGroup) o;
        List<WorkItem> group = queued.examine(jobContext.getInstanceId(), work.items());
        queued.examineAhead(jobContext.getInstanceId(), StepThreadData.of(stepContext).nextUp);
        if (group.isEmpty()) {
            return List.of(); // every input of the group was rejected as it was examined
        }
        if (launcher == null) {
            launcherName = work.launcher().id();
            launcher = launchers.of(work.launcher());
        }
        int part = Integer.parseInt(partition);
        Map<Integer, WorkItem> byNumber = new HashMap<>();
        for (WorkItem item : group) {
            byNumber.put(item.item(), item);
            board.started(item, part, launcherName);
        }
        String who = group.size() == 1 ? "item " + group.get(0).item() : "items " + WorkItem.numbers(group);
        // One line per group: twenty identical "started" lines at once say nothing more than one.
        LOG.info(() -> who + " started: " + describe(group));
        Launch launch = new Launch(
                jobContext.getExecutionId(),
                part,
                (n, p) -> {
                    WorkItem item = byNumber.get(n);
                    if (item != null) {
                        board.update(item, p);
                    }
                },
                this::stopRequested,
                line -> LOG.info(() -> who + " " + line));
        events.fire(new WorkEvent.WorkerStarted(launcherName));
        try {
            List<Outcome> outcomes = launcher.run(group, launch);
            if (stepContext.getExitStatus() != null
                    && stepContext.getExitStatus().startsWith(WORKER_LOST)) {
                // The retry found a worker: the partition did not end with a lost one.
                stepContext.setExitStatus(null);
            }
            events.fire(new WorkEvent.GroupFinished(launcherName, outcomes));
            List<Finished> finished = new ArrayList<>();
            int checked = 0;
            String checkedOn = null;
            for (int i = 0; i < group.size(); i++) {
                WorkItem item = group.get(i);
                Outcome out = outcomes.get(i);
                if (!out.done()) {
                    LOG.warning(() -> "item " + item.item() + " failed: " + out.message());
                } else if (item.dryRun()) {
                    checked++;
                    checkedOn = out.result().worker();
                } else {
                    WorkResult r = out.result();
                    LOG.info(() -> String.format(
                            "item %d done in %.1f s: %d frames at %.1f fps, %d bytes, on %s",
                            item.item(), r.encodeSeconds(), r.frames(), r.encodeFps(), r.bytes(), r.worker()));
                }
                finished.add(new Finished(item, out));
            }
            if (checkedOn != null) {
                // A dry run's per-item "done" lines would carry no figures: one line for the group.
                int n = checked;
                String where = checkedOn;
                LOG.info(() ->
                        who + ": " + n + " of " + group.size() + " readable (dry run, nothing encoded) on " + where);
            }
            return finished;
        } catch (StoppedException e) {
            LOG.info(() -> who + " stopped on request; pending for a restart");
            return null;
        } catch (ToolFailureException e) {
            LOG.warning(() -> who + " lost the worker: " + e.getMessage());
            stepContext.setExitStatus(ExitStatus.of(WORKER_LOST + e.getMessage()));
            throw new WorkerLostException(e.getMessage());
        } catch (WorkerUnavailableException e) {
            // Retrying cannot help until an operator acts: the job ends FAILED, saying why.
            LOG.severe(() -> who + ": no worker: " + e.getMessage());
            stepContext.setExitStatus(ExitStatus.of("no worker: " + e.getMessage()));
            throw e;
        } finally {
            events.fire(new WorkEvent.WorkerEnded(launcherName));
            group.forEach(board::finished);
        }
    }

    /**
     * Jakarta Batch stops a chunk step only between chunks; a long encode must hear of a stop
     * while it runs. Liberty sets the partition's job context to STOPPING as soon as a stop is
     * requested, so asking costs nothing and can be done on every poll.
     */
    private boolean stopRequested() {
        BatchStatus s = jobContext.getBatchStatus();
        return s == BatchStatus.STOPPING || s == BatchStatus.STOPPED;
    }

    /** "video segment 3 of /in/a.mp4" for one item; "20 pieces of /in/a.mp4" (or "of 2 inputs") for a group. */
    static String describe(List<WorkItem> group) {
        WorkItem first = group.get(0);
        if (group.size() == 1) {
            return first.piece() + " of " + first.source();
        }
        long inputs = group.stream().map(WorkItem::source).distinct().count();
        return group.size() + " pieces of " + (inputs == 1 ? first.source() : inputs + " inputs");
    }
}
