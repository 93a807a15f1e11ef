package io.vidbatch.job;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a finished job achieved, counted by inputs. It leads the job's exit status ("PARTIAL: 3 of
 * 5 inputs done, ..."), so every client sees it, and the API gives it as a field of its own so
 * that scripts need not read the sentence. A job with no input done ends FAILED (transcode.xml).
 */
public enum JobOutcome {
    /** Every input done. */
    ALL_DONE("ALL DONE"),
    /** Some inputs done, others failed or rejected: the job COMPLETED, and says so. */
    PARTIAL("PARTIAL"),
    /** No input done: the job FAILED. */
    NONE_DONE("NONE DONE");

    private final String label;

    JobOutcome(String label) {
        this.label = label;
    }

    /** How the exit status starts. */
    public String label() {
        return label;
    }

    public static JobOutcome of(int inputs, int done) {
        return done == inputs ? ALL_DONE : done == 0 ? NONE_DONE : PARTIAL;
    }

    /** The outcome an exit status written by the assemble step leads with; empty for any other exit status. */
    public static Optional<JobOutcome> ofExitStatus(String exitStatus) {
        return exitStatus == null
                ? Optional.empty()
                : Arrays.stream(values())
                        .filter(o -> exitStatus.startsWith(o.label + ":"))
                        .findFirst();
    }
}
