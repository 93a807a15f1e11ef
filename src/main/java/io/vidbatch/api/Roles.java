package io.vidbatch.api;

/** The Jakarta Batch roles, used by Liberty's batch runtime and by our endpoints alike. */
public final class Roles {
    public static final String ADMIN = "batchAdmin";
    public static final String SUBMITTER = "batchSubmitter";
    public static final String MONITOR = "batchMonitor";

    private Roles() {}
}
