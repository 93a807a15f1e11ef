package io.vidbatch.job.transcode;

import jakarta.batch.runtime.context.StepContext;

import java.io.Serializable;

/**
 * Counts of finished items. In a partition it holds what was finished since its collector last
 * reported (the payload sent to the analyzer); on the coordinator's step thread the analyzer
 * keeps the running sum in one, with the number of items the step started with.
 */
public final class PartitionTally implements Serializable {

    private static final long serialVersionUID = 1L;

    /** On the coordinator only: the items the step started with. */
    int total;

    int done;
    int failed;
    double mediaSeconds;
    double encodeSeconds;
    long frames;

    void done(double seconds, double encode, long frameCount) {
        done++;
        mediaSeconds += seconds;
        encodeSeconds += encode;
        frames += frameCount;
    }

    void failed(double seconds) {
        failed++;
        mediaSeconds += seconds;
    }

    boolean isEmpty() {
        return done == 0 && failed == 0;
    }

    /** Hands over what was counted and starts again from zero. */
    PartitionTally drain() {
        PartitionTally copy = new PartitionTally();
        copy.done = done;
        copy.failed = failed;
        copy.mediaSeconds = mediaSeconds;
        copy.encodeSeconds = encodeSeconds;
        copy.frames = frames;
        done = failed = 0;
        mediaSeconds = encodeSeconds = 0;
        frames = 0;
        return copy;
    }

    void add(PartitionTally t) {
        done += t.done;
        failed += t.failed;
        mediaSeconds += t.mediaSeconds;
        encodeSeconds += t.encodeSeconds;
        frames += t.frames;
    }

    static PartitionTally of(StepContext step) {
        return StepThreadData.of(step).tally;
    }
}
