package io.vidbatch.launch;

import io.vidbatch.media.BadMediaException;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;

/**
 * Where a work item runs: in the coordinator, in a worker process, or in a Kubernetes pod. A
 * launcher runs one item to its end and says how it ended; the batch step around it keeps
 * checkpoints, retries and stops.
 */
public interface Launcher {

    /**
     * Runs the item and waits for it, honouring {@link Launch#stopRequested()}.
     *
     * @throws BadMediaException          the input cannot be done (not worth retrying)
     * @throws ToolFailureException       the worker went away (killed, evicted, crashed): worth retrying
     * @throws WorkerUnavailableException no worker could be started at all: retrying will not help
     * @throws StoppedException           a stop was requested; the worker is gone and left nothing half-written
     */
    WorkResult run(WorkItem item, Launch launch)
            throws BadMediaException, ToolFailureException, WorkerUnavailableException, StoppedException;
}
