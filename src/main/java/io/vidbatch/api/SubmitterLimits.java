package io.vidbatch.api;

import io.vidbatch.job.TranscodeJob;
import io.vidbatch.job.TranscodeParameters;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Properties;

/**
 * What one submitter may have running at once: jobs, and workers over all of them, so that one
 * user (or one script gone wrong) cannot take every worker of a shared coordinator. Liberty shows
 * a batchSubmitter only its own executions, so counting what the operator returns counts that
 * submitter's. Administrators see everybody's jobs and are not limited.
 */
final class SubmitterLimits {

    /** Checks and starts are serialised, so two submissions at once cannot both take the last place. */
    static final Object TURN = new Object();

    private final int maxJobs;
    private final int maxWorkers;

    SubmitterLimits(int maxJobs, int maxWorkers) {
        this.maxJobs = maxJobs;
        this.maxWorkers = maxWorkers;
    }

    /** Throws a 429 when this submission would take the caller over a limit. */
    void check(JobOperator operator, Properties submission) {
        List<Long> running;
        try {
            running = operator.getRunningExecutions(TranscodeJob.NAME);
        } catch (NoSuchJobException e) {
            return; // no transcode job has run yet
        }
        if (running.size() >= maxJobs) {
            throw tooMany("you have " + running.size() + " jobs running; at most " + maxJobs
                    + " may run at once (JOBS_PER_SUBMITTER): wait for one to end, or stop one");
        }
        int workers = 0;
        for (long execution : running) {
            try {
                workers += workers(operator.getParameters(execution));
            } catch (NoSuchJobExecutionException e) {
                // ended meanwhile
            }
        }
        int asked = workers(submission);
        if (workers + asked > maxWorkers) {
            throw tooMany("your running jobs use " + workers + " workers and this one asks for " + asked + "; at most "
                    + maxWorkers + " may run at once (WORKERS_PER_SUBMITTER)");
        }
    }

    private static int workers(Properties p) {
        try {
            return Integer.parseInt(
                    p.getProperty(TranscodeParameters.WORKERS, Integer.toString(TranscodeParameters.DEFAULT_WORKERS))
                            .strip());
        } catch (NumberFormatException e) {
            return TranscodeParameters.DEFAULT_WORKERS;
        }
    }

    private static WebApplicationException tooMany(String message) {
        return new WebApplicationException(Response.status(Response.Status.TOO_MANY_REQUESTS)
                .type(MediaType.APPLICATION_JSON)
                .header("Retry-After", "60")
                .entity(new ApiError(message, List.of()))
                .build());
    }
}
