package io.vidbatch.job;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobStartException;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobInstance;
import jakarta.transaction.RollbackException;

import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/** The one job vidbatch runs (batch-jobs/transcode.xml), as the JobOperator calls name it. */
public final class TranscodeJob {

    public static final String NAME = "transcode";
    /** In a job's work folder: ffmpeg's log of each item and join, kept after the work is cleaned up. */
    public static final String LOGS = "logs";
    /** Starts tried when the job repository rolls the first ones back (see {@link #start}). */
    static final int START_ATTEMPTS = 3;

    private TranscodeJob() {}

    /**
     * Starts the job and returns its execution id. A start the job repository rolled back (a
     * failed commit, or SQL state class 40: lock timeout, deadlock, serialization) is tried
     * again: on embedded Derby, jobs started at the same moment contend for Liberty's identity
     * sequences, and 3 of 240 starts made 40 at a time failed so (LoadIT found it). Nothing of a
     * failed start shows in our API (Liberty keeps an instance without a job name), so trying
     * again duplicates nothing. What follows on the job thread is {@link FirstStepGate}'s.
     */
    public static long start(JobOperator operator, Properties params) {
        for (int attempt = 1; ; attempt++) {
            try {
                return operator.start(NAME, params);
            } catch (JobStartException e) {
                if (attempt == START_ATTEMPTS || !rolledBack(e)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /**
     * Liberty reports the repository's rollback either with the SQL exception as a cause or,
     * when its commit fails, as a RollbackException only (the SQL error is logged, not chained).
     */
    static boolean rolledBack(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RollbackException
                    || t instanceof SQLException sql
                            && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    /** A short random wait, so that the starts that collided do not collide again. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(50, 200) * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobStartException(e);
        }
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
