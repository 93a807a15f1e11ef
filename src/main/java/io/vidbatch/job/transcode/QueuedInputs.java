package io.vidbatch.job.transcode;

import io.vidbatch.config.Roots;
import io.vidbatch.config.Settings;
import io.vidbatch.job.Inputs;
import io.vidbatch.job.Planner;
import io.vidbatch.job.TranscodeParameters;
import io.vidbatch.media.Operations;
import io.vidbatch.media.Preset;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.store.InputState;
import io.vidbatch.store.JobSettings;
import io.vidbatch.store.WorkStore;
import io.vidbatch.work.WorkItem;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * Examines the inputs a whole-file job queued unexamined ({@link Planner#defers()}) as their
 * items come up on a partition, and the next group's while the partition encodes. An input the examination rejects is recorded as REJECTED, with
 * the reason the plan step would have given, and its item is dropped.
 *
 * <p>What it records commits on its own, outside the chunk's transaction: that transaction lasts
 * the whole encode, and rows it had written would stay locked as long (on Derby, CI saw the
 * console's reads of the job wait for the encode to end, and a restarted partition's start time
 * out). An examination is true whatever becomes of the encode, so a chunk rolled back keeps it.
 */
@Dependent
public class QueuedInputs {

    private static final Logger LOG = Logger.getLogger(QueuedInputs.class.getName());

    @Inject
    WorkStore store;

    @Inject
    Settings settings;

    /** Its tasks run outside the caller's transaction (the chunk's). */
    @Resource
    ManagedExecutorService executor;

    private Planner planner;

    /**
     * Examinations started ahead, by item number: the next group's, while this one encodes, so
     * that no encode waits for its input's probe but the partition's first.
     */
    private final Map<Integer, Future<Optional<WorkItem>>> ahead = new HashMap<>();

    /** The group's items ready to run: queued ones examined and completed, rejected ones left out. */
    List<WorkItem> examine(long job, List<WorkItem> group) throws Exception {
        List<WorkItem> ready = new ArrayList<>(group.size());
        for (WorkItem item : group) {
            if (item.expected() != null) {
                ready.add(item);
                continue;
            }
            Future<Optional<WorkItem>> examined = ahead.remove(item.item());
            if (examined == null) {
                examined = executor.submit(() -> examineNow(job, item));
            }
            await(examined).ifPresent(ready::add);
        }
        return ready;
    }

    /** Starts examining the queued inputs of the group that comes next on this partition. */
    void examineAhead(long job, List<WorkItem> next) {
        ahead.keySet().retainAll(next.stream().map(WorkItem::item).toList());
        for (WorkItem item : next) {
            if (item.expected() == null && !ahead.containsKey(item.item())) {
                ahead.put(item.item(), executor.submit(() -> examineNow(job, item)));
            }
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * The item complete, or empty when its input is rejected. One at a time: the group ahead is
     * examined while this partition encodes, not while it examines.
     */
    private synchronized Optional<WorkItem> examineNow(long job, WorkItem item)
            throws SQLException, ToolFailureException {
        Path source = Path.of(item.source());
        Planner.Planned planned = planner(job)
                .examined(
                        job,
                        item,
                        planner(job).examine(item.input(), new Inputs.Candidate(item.source(), source, source, null)));
        WorkStore.InputRow row = planned.row();
        String detail = planned.detail() == null ? null : store.json().toJson(planned.detail());
        String unfit = WorkStore.unfit(row.withDetail(detail), planned.items());
        if (unfit != null) {
            reject(job, item, "cannot be recorded: " + unfit);
            return Optional.empty();
        }
        if (planned.items().isEmpty()) {
            reject(job, item, row.reason());
            return Optional.empty();
        }
        WorkItem full = planned.items().get(0);
        store.updateInput(job, item.input(), row.state(), row.reason(), detail);
        store.updateItem(job, full);
        return Optional.of(full);
    }

    private void reject(long job, WorkItem item, String reason) throws SQLException {
        store.updateInput(job, item.input(), InputState.REJECTED, reason, null);
        store.deleteItem(job, item.item());
        LOG.warning(() -> String.format("input %d rejected: %s: %s", item.input(), item.source(), reason));
    }

    /** The job's planner, as the plan step made it: from the settings it stored. */
    private Planner planner(long job) throws SQLException {
        if (planner == null) {
            JobSettings s = store.settings(job);
            TranscodeParameters p = new TranscodeParameters(
                    List.of(),
                    Preset.named(s.preset())
                            .orElseThrow(
                                    () -> new IllegalStateException("job " + job + " names no preset: " + s.preset())),
                    Operations.parse(s.operations()),
                    s.segmentSeconds(),
                    s.workers(),
                    s.outputDir(),
                    s.launcher(),
                    s.groupSize(),
                    s.dryRun(),
                    s.audio(),
                    null,
                    s.minQuality(),
                    Boolean.TRUE.equals(s.quality()),
                    s.webhooks());
            Roots roots = settings.roots();
            planner = new Planner(
                    settings.tools(),
                    p,
                    settings.budget(),
                    Path.of(s.outputDir()),
                    roots.workDir(job),
                    roots.claimsDir());
        }
        return planner;
    }
}
