package io.vidbatch.job;

import io.vidbatch.media.StreamPlan;
import io.vidbatch.store.JobSettings;

import java.util.List;

/**
 * The job's account of itself: every input, what came of it and why, with timings. Written
 * next to the outputs when the job ends and served by the API at any time.
 */
public record JobReport(long job, JobSettings settings, Summary summary, List<Input> inputs) {

    /**
     * @param outcome       what the job achieved, once no input is pending (null before)
     * @param encodeSeconds summed wall time of all encodes (more than the job's wall time with several workers)
     * @param encodeFps     frames encoded per encode-second, over all done inputs
     */
    public record Summary(
            JobOutcome outcome,
            int inputs,
            int done,
            int failed,
            int rejected,
            int pending,
            long outputBytes,
            double mediaSeconds,
            double encodeSeconds,
            double encodeFps) {}

    /**
     * @param reason why it was rejected or failed
     * @param note    how it was done, when that differs from what was asked (e.g. encoded whole)
     * @param streams what became of each of the source's streams (kept, converted, dropped and why)
     * @param ladder  for a ladder job: its renditions, their quality and the rungs skipped
     */
    public record Input(
            int input,
            String given,
            String source,
            String state,
            String reason,
            String note,
            InputDetail.Source probe,
            int segments,
            InputDetail.Output output,
            List<StreamPlan.Fate> streams,
            int chapters,
            LadderOutput ladder) {}

    /** One line for the job's exit status: the outcome and the counts. */
    public String exitStatus() {
        Summary s = summary;
        return String.format(
                "%s: %d of %d inputs done, %d failed, %d rejected%s",
                JobOutcome.of(s.inputs(), s.done()).label(),
                s.done(),
                s.inputs(),
                s.failed(),
                s.rejected(),
                settings.dryRun() ? " (dry run: nothing encoded)" : "");
    }
}
