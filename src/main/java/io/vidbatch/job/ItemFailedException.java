package io.vidbatch.job;

/**
 * The item cannot succeed (bad media, an operation that does not fit, a failed output
 * check). Skippable: the item is recorded as failed with this reason and the job goes on.
 */
public class ItemFailedException extends Exception {
    public ItemFailedException(String reason) {
        super(reason);
    }
}
