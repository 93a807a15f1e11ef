package io.vidbatch.api;

import io.vidbatch.job.JobOutcome;
import io.vidbatch.job.JobReport;
import io.vidbatch.store.JobSettings;

import java.util.Date;
import java.util.List;

/** What the API returns about jobs. */
public final class JobViews {

    private JobViews() {}

    /** The outcome a job's latest execution ended with, or null (see {@link Status}). */
    static JobOutcome outcome(String exitStatus) {
        return JobOutcome.ofExitStatus(exitStatus).orElse(null);
    }

    /**
     * Just the state: what a script polls while it waits for a job.
     *
     * @param outcome once the job has counted its inputs: {@code ALL_DONE}, {@code PARTIAL} (COMPLETED,
     *                but some inputs failed or were rejected) or {@code NONE_DONE} (FAILED); null before,
     *                and for a job that ended before counting (stopped, or failed on its way)
     */
    public record Status(long id, String status, String exitStatus, JobOutcome outcome) {}

    /** A job in a list. */
    public record Summary(
            long id,
            String status,
            String exitStatus,
            JobOutcome outcome,
            Date created,
            Date lastUpdated,
            Progress progress) {}

    /**
     * A job in full: its state, its progress item by item, its inputs and outputs.
     *
     * @param now the server's clock (epoch ms), against which running items' start times are measured
     */
    public record Detail(
            long id,
            String status,
            String exitStatus,
            JobOutcome outcome,
            Date created,
            JobSettings settings,
            Progress progress,
            List<Execution> executions,
            List<Item> items,
            List<JobReport.Input> inputs,
            String report,
            long now) {}

    /**
     * @param percent    0..100, weighted by media seconds, including the running items' progress
     * @param etaSeconds estimated seconds left, from this execution's pace; null until it can be told
     */
    public record Progress(
            int items, int done, int failed, int pending, int running, double percent, Double etaSeconds) {}

    public record Execution(long id, String status, String exitStatus, Date started, Date ended) {}

    /**
     * @param percent 0..100 for a running item, 100 for a finished one
     * @param fps     encoding speed (live while running, average when done)
     * @param startedAt when its encode began, epoch ms (null when not known: pending, failed, or an older job)
     * @param endedAt   when its encode ended, epoch ms (null while running)
     */
    public record Item(
            int item,
            int input,
            String part,
            int segment,
            int partition,
            String state,
            double percent,
            double fps,
            String worker,
            String source,
            String output,
            String reason,
            Long execution,
            String finished,
            Long startedAt,
            Long endedAt) {}
}
