package io.vidbatch.work;

import java.util.ArrayList;
import java.util.List;

/**
 * How a worker ended an item, as it reports it (JSON): done with a result, or not with a
 * reason. Exit codes say the same for those who only see the exit.
 *
 * @param status  how it ended
 * @param message why it is not done (null when done)
 */
public record Outcome(Status status, WorkResult result, String message) {

    /** Done with a verified result; bad input (the file's fault: never worth retrying); failed otherwise. */
    public enum Status {
        DONE,
        BAD_INPUT,
        FAILED
    }

    /** Exit codes of the worker entry point: done (every item reported), every item bad input; else transient. */
    public static final int EXIT_DONE = 0;

    public static final int EXIT_BAD_INPUT = 3;

    public static Outcome done(WorkResult r) {
        return new Outcome(Status.DONE, r, null);
    }

    public static Outcome badInput(String message) {
        return new Outcome(Status.BAD_INPUT, null, message);
    }

    public static Outcome failed(String message) {
        return new Outcome(Status.FAILED, null, message);
    }

    public boolean done() {
        return status == Status.DONE;
    }

    public boolean badInput() {
        return status == Status.BAD_INPUT;
    }

    /**
     * Outcomes travel without what the coordinator already knows (the item's output path) or
     * decides (how it names the worker); this puts them back.
     */
    public Outcome placed(WorkItem item, String worker) {
        if (result == null) {
            return this;
        }
        WorkResult r = result;
        return done(new WorkResult(
                item.output(),
                r.bytes(),
                r.width(),
                r.height(),
                r.frames(),
                r.seconds(),
                r.audio(),
                r.encodeSeconds(),
                r.encodeFps(),
                worker,
                r.finishedAt()));
    }

    /** {@link #placed} for a whole group: the worker reported one outcome per item, in order. */
    public static List<Outcome> placed(List<Outcome> reported, List<WorkItem> group, String worker) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            out.add(reported.get(i).placed(group.get(i), worker));
        }
        return out;
    }
}
