package io.vidbatch.job;

import io.vidbatch.work.Outcome;

import java.util.List;

/**
 * What the job's steps tell whoever listens (CDI events, observed synchronously): the metrics,
 * today. The steps do not know who listens, so nothing they depend on depends back on them.
 */
public sealed interface WorkEvent {

    /** A worker took a group; {@link WorkerEnded} follows, however the run ends. */
    record WorkerStarted(String launcher) implements WorkEvent {}

    record WorkerEnded(String launcher) implements WorkEvent {}

    /** The outcomes a worker reported for a group. */
    record GroupFinished(String launcher, List<Outcome> outcomes) implements WorkEvent {}

    /** A lost worker sends these items round again. */
    record Retried(String launcher, int items) implements WorkEvent {}

    /** The items a partition's reader still has to hand out (0 when it closes). */
    record Pending(long job, String partition, String launcher, int items) implements WorkEvent {}

    /** An execution of the job ended: nothing of it is pending any more. */
    record JobEnded(long job) implements WorkEvent {}
}
