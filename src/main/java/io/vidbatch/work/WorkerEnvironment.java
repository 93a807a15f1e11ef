package io.vidbatch.work;

/**
 * The environment a worker is started with, whoever starts it (a worker process, a pod): the
 * whole of what passes from coordinator to worker besides the shared media volume.
 */
public final class WorkerEnvironment {

    /** The group's work items, as {@link WorkJson#writeItems} writes them. */
    public static final String ITEMS = "VIDBATCH_ITEMS";
    /** Where the worker writes its outcomes; in a pod, by default, the container's termination message. */
    public static final String RESULT_FILE = "VIDBATCH_RESULT_FILE";
    /** How results name the worker; without it, "worker:" and the host name. */
    public static final String NAME = "VIDBATCH_WORKER_NAME";
    /** The coordinator's pid, which a worker started on the same machine must not outlive. */
    public static final String COORDINATOR_PID = "VIDBATCH_COORDINATOR_PID";

    private WorkerEnvironment() {}
}
