package io.vidbatch.media;

/**
 * The input cannot be turned into a good output: unreadable, corrupt, not a video, or an
 * operation that does not fit it. Retrying will not help; the item fails with this reason.
 */
public class BadMediaException extends Exception {
    public BadMediaException(String reason) {
        super(reason);
    }
}
