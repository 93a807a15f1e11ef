package io.vidbatch.launch;

/**
 * No worker could be started: the image cannot be pulled, no node fits, a quota is exhausted.
 * The job cannot go on until an operator acts, so it ends FAILED with this reason.
 */
public class WorkerUnavailableException extends Exception {
    public WorkerUnavailableException(String reason) {
        super(reason);
    }
}
