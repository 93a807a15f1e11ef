package io.vidbatch.media;

/**
 * ffmpeg or ffprobe ended abnormally for a reason outside the input: killed by a signal,
 * could not be started. Worth retrying, possibly elsewhere.
 */
public class ToolFailureException extends Exception {
    public ToolFailureException(String message) {
        super(message);
    }

    public ToolFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
