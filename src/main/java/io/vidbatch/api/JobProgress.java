package io.vidbatch.api;

import io.vidbatch.job.ProgressBoard;
import io.vidbatch.job.TranscodeJob;
import io.vidbatch.media.Progress;
import io.vidbatch.store.ItemState;
import io.vidbatch.store.WorkStore;
import jakarta.batch.runtime.JobExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Combines durable item states with the live progress of running items. */
@ApplicationScoped
public class JobProgress {

    @Inject
    ProgressBoard board;

    JobViews.Progress of(long job, List<WorkStore.ItemRow> rows, JobExecution latest) {
        List<WorkStore.ItemRow> items = rows.stream().filter(JobProgress::work).toList();
        Map<Integer, ProgressBoard.Running> running = live(job);
        int done = 0;
        int failed = 0;
        double total = 0;
        double finished = 0;
        double finishedThisRun = 0;
        // Queued inputs' items have no media seconds until examined: until then, every item counts one.
        boolean queued = items.stream().anyMatch(i -> i.seconds() <= 0);
        for (WorkStore.ItemRow i : items) {
            double s = queued ? 1 : Math.max(i.seconds(), 0.001);
            total += s;
            switch (i.state()) {
                case DONE -> done++;
                case FAILED -> failed++;
                default -> {
                    ProgressBoard.Running r = running.get(i.item());
                    if (r != null) {
                        finished += s * r.progress().fraction();
                        finishedThisRun += s * r.progress().fraction();
                    }
                    continue;
                }
            }
            finished += s;
            if (i.executionId() != null && i.executionId() == latest.getExecutionId()) {
                finishedThisRun += s;
            }
        }
        double percent = total > 0 ? 100.0 * finished / total : 0;
        Double eta = null;
        if (TranscodeJob.running(latest.getBatchStatus()) && latest.getStartTime() != null && finishedThisRun > 0) {
            double elapsed = (System.currentTimeMillis() - latest.getStartTime().getTime()) / 1000.0;
            eta = (total - finished) * elapsed / finishedThisRun;
        }
        return new JobViews.Progress(
                items.size(),
                done,
                failed,
                items.size() - done - failed,
                running.size(),
                Math.round(percent * 10) / 10.0,
                eta == null ? null : Math.round(eta * 10) / 10.0);
    }

    /** Progress from counts alone (no live fractions): what a list shows. */
    static JobViews.Progress of(WorkStore.Counts c) {
        double percent = c.unexamined() > 0
                ? 100.0 * (c.done() + c.failed()) / c.items()
                : c.seconds() > 0 ? 100.0 * c.finishedSeconds() / c.seconds() : 0;
        return new JobViews.Progress(
                c.items(),
                c.done(),
                c.failed(),
                c.items() - c.done() - c.failed(),
                0,
                Math.round(percent * 10) / 10.0,
                null);
    }

    /**
     * Items that are work to do or done: not a standby whole-file item (unless its input was sent
     * over to it), nor pieces superseded by one.
     */
    private static boolean work(WorkStore.ItemRow i) {
        return i.state() != ItemState.STANDBY && i.state() != ItemState.SUPERSEDED;
    }

    /** Every item but the standby ones; superseded pieces are listed as such. */
    List<JobViews.Item> items(long job, List<WorkStore.ItemRow> items) {
        Map<Integer, ProgressBoard.Running> running = live(job);
        return items.stream()
                .filter(i -> i.state() != ItemState.STANDBY)
                .map(i -> {
                    ProgressBoard.Running r = running.get(i.item());
                    boolean finished = work(i) && i.state() != ItemState.PENDING;
                    String state = r != null ? "RUNNING" : i.state().name();
                    double percent =
                            finished ? 100 : r != null ? Math.round(r.progress().fraction() * 1000) / 10.0 : 0;
                    double fps = r != null
                            ? r.progress().fps()
                            : i.result() != null ? Math.round(i.result().encodeFps() * 10) / 10.0 : 0;
                    // While it runs, only the launcher is known; the worker that ran it comes with its result.
                    String worker = r != null
                            ? r.launcher()
                            : i.result() != null ? i.result().worker() : null;
                    Long endedAt = r == null && i.result() != null && i.result().finishedAt() > 0
                            ? i.result().finishedAt()
                            : null;
                    // An item waiting behind others of its group has not started: no progress yet, no start.
                    Long startedAt = r != null
                            ? (r.progress() == Progress.NONE
                                    ? null
                                    : Long.valueOf(r.started().toEpochMilli()))
                            : endedAt != null
                                    ? Long.valueOf(
                                            endedAt - Math.round(i.result().encodeSeconds() * 1000))
                                    : null;
                    return new JobViews.Item(
                            i.item(),
                            i.input(),
                            i.part().name(),
                            i.segment(),
                            i.partition(),
                            state,
                            percent,
                            fps,
                            worker,
                            i.spec().source(),
                            i.state() == ItemState.DONE ? i.spec().output() : null,
                            i.reason(),
                            i.executionId(),
                            finished && i.updated() != null
                                    ? i.updated().toInstant().toString()
                                    : null,
                            startedAt,
                            endedAt);
                })
                .toList();
    }

    private Map<Integer, ProgressBoard.Running> live(long job) {
        return board.running(job).stream().collect(Collectors.toMap(ProgressBoard.Running::item, Function.identity()));
    }
}
