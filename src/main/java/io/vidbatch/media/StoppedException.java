package io.vidbatch.media;

/** The run was cancelled on request (a batch stop); its temporary output is gone. */
public class StoppedException extends Exception {
    public StoppedException() {
        super("stopped on request");
    }
}
