package io.vidbatch.job.transcode;

/**
 * The worker running an item went away (killed, evicted, crashed) through no fault of the
 * item. Retryable: the chunk rolls back and the item runs again.
 */
public class WorkerLostException extends Exception {
    public WorkerLostException(String message) {
        super(message);
    }
}
