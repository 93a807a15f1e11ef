package io.vidbatch.launch;

import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.work.Launch;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.WorkItem;

import java.util.List;

/**
 * Where work items run: in the coordinator, in a worker process, or in a Kubernetes pod. A
 * launcher runs one group of items in one worker, in order, and says how each ended; the batch
 * step around it keeps checkpoints, retries and stops. A group is the unit of retry: a worker
 * lost halfway runs its whole group again.
 */
public interface Launcher {

    /**
     * Runs the group and waits for it, honouring {@link Launch#stopRequested()}.
     *
     * @return one outcome per item, in the group's order: {@link Outcome#DONE} with its verified
     *         result, or {@link Outcome#BAD_INPUT} with the reason (not worth retrying)
     * @throws ToolFailureException       the worker went away (killed, evicted, crashed): worth retrying
     * @throws WorkerUnavailableException no worker could be started at all: retrying will not help
     * @throws StoppedException           a stop was requested; the worker is gone and left nothing half-written
     */
    List<Outcome> run(List<WorkItem> group, Launch launch)
            throws ToolFailureException, WorkerUnavailableException, StoppedException;
}
