package io.vidbatch.job;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobInstance;

/** The one job vidbatch runs (batch-jobs/transcode.xml), as the JobOperator calls name it. */
public final class TranscodeJob {

    public static final String NAME = "transcode";

    private TranscodeJob() {
    }

    /** A JobInstance by id, for the JobOperator calls that take one. */
    public static JobInstance instance(long id) {
        return new Ref(id);
    }

    /** Not ended yet: starting, running, or stopping. */
    public static boolean running(BatchStatus s) {
        return s == BatchStatus.STARTING || s == BatchStatus.STARTED || s == BatchStatus.STOPPING;
    }

    private record Ref(long id) implements JobInstance {
        public long getInstanceId() {
            return id;
        }

        public String getJobName() {
            return NAME;
        }
    }
}
