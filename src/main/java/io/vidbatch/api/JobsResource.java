package io.vidbatch.api;

import io.vidbatch.config.Settings;
import io.vidbatch.job.FieldError;
import io.vidbatch.job.InputDetail;
import io.vidbatch.job.InputLists;
import io.vidbatch.job.JobEnds;
import io.vidbatch.job.JobReport;
import io.vidbatch.job.JobRequest;
import io.vidbatch.job.TranscodeJob;
import io.vidbatch.job.TranscodeParameters;
import io.vidbatch.job.assemble.Reports;
import io.vidbatch.notify.Notifier;
import io.vidbatch.notify.WebhookStore;
import io.vidbatch.store.JobSearch;
import io.vidbatch.store.WorkStore;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.batch.operations.JobExecutionAlreadyCompleteException;
import jakarta.batch.operations.JobExecutionIsRunningException;
import jakarta.batch.operations.JobExecutionNotMostRecentException;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobRestartException;
import jakarta.batch.operations.JobSecurityException;
import jakarta.batch.operations.JobStartException;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.operations.NoSuchJobInstanceException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.CompletionCallback;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Submit, watch, stop and restart {@code transcode} jobs. Parameters are checked before a job
 * starts; Liberty's batch security decides who may see and control which job.
 */
@Path("/jobs")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    static final int MAX_WAIT_SECONDS = 3600;
    static final int MAX_LOG_LINES = 1000;

    @Inject
    Settings settings;

    @Inject
    WorkStore store;

    @Inject
    Reports reports;

    @Inject
    InputLists lists;

    @Inject
    JobProgress progress;

    @Inject
    JobEnds ends;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ContextService contexts;

    @Context
    UriInfo uri;

    @Context
    SecurityContext security;

    @Inject
    Notifier notifier;

    @Inject
    WebhookStore webhooks;

    @Inject
    JobSearch search;

    private final JobOperator operator = BatchRuntime.getJobOperator();

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER})
    public Response submit(InputStream body) {
        JobRequest request = JobRequest.of(JsonBody.parse(body));
        Properties props = request.checked(settings);
        Webhooks.checkKnown(notifier, props.getProperty(TranscodeParameters.NOTIFY), TranscodeParameters.NOTIFY);
        try {
            long execution;
            synchronized (SubmitterLimits.TURN) {
                limit(props);
                execution = TranscodeJob.start(operator, lists.attach(props, request.inputs()));
            }
            long id = operator.getJobInstance(execution).getInstanceId();
            return Response.created(uri.getBaseUriBuilder()
                            .path("jobs")
                            .path(Long.toString(id))
                            .build())
                    .entity(summary(TranscodeJob.instance(id)))
                    .build();
        } catch (JobSecurityException e) {
            throw ApiError.of(Response.Status.FORBIDDEN, "not allowed to submit jobs");
        } catch (JobStartException | NoSuchJobException e) {
            throw ApiError.of(Response.Status.INTERNAL_SERVER_ERROR, "the job could not start: " + e.getMessage());
        } catch (SQLException e) {
            throw ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "the database does not answer: " + e.getMessage());
        }
    }

    /**
     * Jobs, newest first, a page at a time: {@code limit} (1–1000, default 50) of those below
     * {@code before} (an id: the last one of the previous page), filtered by {@code state}
     * (running, completed, partial, failed, stopped; comma-separated), {@code submitter}, creation
     * time ({@code from}, {@code to}: an instant or a day, UTC) and {@code q} (part of an input's
     * name). A submitter sees only their own jobs, as in Liberty's API.
     */
    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public List<JobViews.Summary> list(
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("before") Long before,
            @QueryParam("state") String state,
            @QueryParam("submitter") String submitter,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("q") String q)
            throws SQLException {
        if (limit < 1 || limit > 1000) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "limit must be between 1 and 1000");
        }
        if (q != null && q.length() > 200) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "q: at most 200 characters");
        }
        if (submitter != null && submitter.length() > 256) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "submitter: at most 256 characters");
        }
        boolean seesAll = security.isUserInRole(Roles.ADMIN) || security.isUserInRole(Roles.MONITOR);
        String who = seesAll
                ? (submitter == null || submitter.isBlank() ? null : submitter.strip())
                : security.getUserPrincipal().getName();
        List<Long> ids = search.ids(new JobSearch.Query(
                TranscodeJob.NAME,
                who,
                JobFilters.states(state),
                JobFilters.day(from, "from", false),
                JobFilters.day(to, "to", true),
                q,
                before,
                limit));
        Map<Long, WorkStore.Counts> counts = store.counts(ids);
        List<JobViews.Summary> out = new ArrayList<>();
        for (long id : ids) {
            try {
                out.add(summary(TranscodeJob.instance(id), counts.getOrDefault(id, WorkStore.Counts.NONE)));
            } catch (WebApplicationException gone) {
                // Purged or not this caller's between the search and now: not in the page.
            }
        }
        return out;
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public JobViews.Detail get(@PathParam("id") long id) throws SQLException {
        List<JobExecution> executions = executions(id);
        JobExecution latest = executions.get(0);
        JobReport report = reports.build(id);
        List<WorkStore.ItemRow> items = store.items(id);
        String reportUri = report == null
                ? null
                : uri.getBaseUriBuilder()
                        .path("jobs")
                        .path(Long.toString(id))
                        .path("report")
                        .build()
                        .toString();
        return new JobViews.Detail(
                id,
                latest.getBatchStatus().name(),
                latest.getExitStatus(),
                JobViews.outcome(latest.getExitStatus()),
                executions.get(executions.size() - 1).getCreateTime(),
                report == null ? null : report.settings(),
                progress.of(id, items, latest),
                executions.stream().map(JobsResource::execution).toList(),
                progress.items(id, items),
                report == null ? List.of() : report.inputs(),
                reportUri,
                System.currentTimeMillis());
    }

    /**
     * The job's state alone, cheap enough to poll. With {@code wait=N} (seconds, up to an hour)
     * the answer comes when the job ends, or after N seconds: a script can block on it instead
     * of polling. A waiting request holds no server thread (see StatusWait).
     */
    @GET
    @Path("{id}/status")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    // The answer is resumed later, so OpenAPI is told what it is.
    @APIResponse(
            responseCode = "200",
            description = "OK",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = JobViews.Status.class)))
    public void status(
            @PathParam("id") long id, @QueryParam("wait") @DefaultValue("0") int wait, @Suspended AsyncResponse reply) {
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            throw ApiError.of(
                    Response.Status.BAD_REQUEST, "wait must be between 0 and " + MAX_WAIT_SECONDS + " seconds");
        }
        JobExecution latest = executions(id).get(0);
        JobViews.Status s = status(id, latest);
        if (wait == 0 || !running(s)) {
            reply.resume(s);
            return;
        }
        // Later look-ups run as this caller, whom Liberty's batch security authorizes, whatever thread runs them.
        StatusWait waiting = new StatusWait(
                reply, contexts.contextualSupplier(() -> statusOf(id)), JobsResource::running, scheduler);
        Runnable onEnd = waiting::jobEnded;
        ends.onEnd(id, latest.getExecutionId(), onEnd);
        reply.register((CompletionCallback) done -> ends.forget(id, onEnd));
        reply.setTimeoutHandler(r -> waiting.timedOut());
        reply.setTimeout(wait, TimeUnit.SECONDS);
        // Ended and recorded since the first look: answered now rather than on the signal's next look.
        if (!running(s = statusOf(id))) {
            reply.resume(s);
        }
    }

    private JobViews.Status statusOf(long id) {
        return status(id, executions(id).get(0));
    }

    private static JobViews.Status status(long id, JobExecution latest) {
        return new JobViews.Status(
                id, latest.getBatchStatus().name(), latest.getExitStatus(), JobViews.outcome(latest.getExitStatus()));
    }

    /** The same, as text for a terminal; JSON stays the default for clients that accept anything. */
    @GET
    @Path("{id}")
    @Produces("text/plain;qs=0.5")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public String getText(@PathParam("id") long id) throws SQLException {
        return JobText.render(get(id));
    }

    @GET
    @Path("{id}/report")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public JobReport report(@PathParam("id") long id) throws SQLException {
        executions(id); // checks the caller may see this job
        JobReport report = reports.build(id);
        if (report == null) {
            throw ApiError.of(Response.Status.NOT_FOUND, "job " + id + " has not been planned yet");
        }
        return report;
    }

    /** Who was told of the job's ends (its {@code notify} webhooks), newest first. */
    @GET
    @Path("{id}/deliveries")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public List<Webhooks.DeliveryView> deliveries(@PathParam("id") long id) throws SQLException {
        executions(id); // checks the caller may see this job
        return webhooks.ofJob(id, 100).stream().map(Webhooks.DeliveryView::of).toList();
    }

    /** The end of ffmpeg's log for one item: why it failed, or what it warned about. */
    @GET
    @Path("{id}/items/{item}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public String itemLog(
            @PathParam("id") long id, @PathParam("item") int item, @QueryParam("lines") @DefaultValue("40") int lines)
            throws SQLException {
        executions(id); // checks the caller may see this job
        if (lines < 1 || lines > MAX_LOG_LINES) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "lines must be between 1 and " + MAX_LOG_LINES);
        }
        WorkStore.ItemRow row = store.item(id, item)
                .orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "job " + id + " has no item " + item));
        return files().tail(java.nio.file.Path.of(row.spec().log()), lines)
                .orElseThrow(() ->
                        ApiError.of(Response.Status.NOT_FOUND, "item " + item + " has no ffmpeg log (not run yet)"));
    }

    /** A thumbnail the job took of an output (the {@code thumbnail} operation), by its place in the report. */
    @GET
    @Path("{id}/inputs/{input}/thumbnails/{n}")
    @Produces("image/jpeg")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public Response thumbnail(@PathParam("id") long id, @PathParam("input") int input, @PathParam("n") int n)
            throws SQLException {
        executions(id);
        JobReport report = reports.build(id);
        List<String> thumbnails = report == null
                ? List.of()
                : report.inputs().stream()
                        .filter(i -> i.input() == input
                                && i.output() != null
                                && i.output().thumbnails() != null)
                        .findFirst()
                        .map(i -> i.output().thumbnails())
                        .orElse(List.of());
        if (n < 0 || n >= thumbnails.size()) {
            throw ApiError.of(Response.Status.NOT_FOUND, "input " + input + " of job " + id + " has no thumbnail " + n);
        }
        java.nio.file.Path jpg = files().image(java.nio.file.Path.of(thumbnails.get(n)))
                .orElseThrow(() ->
                        ApiError.of(Response.Status.NOT_FOUND, "thumbnail " + n + " of input " + input + " is gone"));
        // Private: it is one user's job; a thumbnail never changes once the job wrote it.
        return Response.ok(jpg.toFile())
                .header("Cache-Control", "private, max-age=3600")
                .build();
    }

    /** An input's output file, to download (the console's link); a ladder's files are under {@code ladder/}. */
    @GET
    @Path("{id}/inputs/{input}/output")
    @Produces({"video/mp4", "video/webm"})
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public Response output(@PathParam("id") long id, @PathParam("input") int input) throws SQLException {
        executions(id); // checks the caller may see this job
        JobReport report = reports.build(id);
        InputDetail.Output written = report == null
                ? null
                : report.inputs().stream()
                        .filter(i -> i.input() == input && i.output() != null)
                        .map(JobReport.Input::output)
                        .findFirst()
                        .orElse(null);
        if (written == null) {
            throw ApiError.of(Response.Status.NOT_FOUND, "input " + input + " of job " + id + " has no output");
        }
        // The file at that path now must still be the one this job wrote: its name may have gone to
        // another job's output since it was deleted, and that is not this caller's to read.
        java.nio.file.Path file = files().output(java.nio.file.Path.of(written.path()))
                .filter(f -> sizeOf(f) == written.bytes())
                .orElseThrow(() -> ApiError.of(
                        Response.Status.NOT_FOUND,
                        "the output of input " + input + " is gone (moved, deleted or replaced)"));
        return Response.ok(file.toFile(), JobFiles.contentType(file).orElseThrow())
                .header(
                        "Content-Disposition",
                        Downloads.attachment(file.getFileName().toString()))
                .header("Cache-Control", "private, no-cache")
                .build();
    }

    private static long sizeOf(java.nio.file.Path f) {
        try {
            return java.nio.file.Files.size(f);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** The still of a measured output's worst frame (lowest PSNR against its source). */
    @GET
    @Path("{id}/inputs/{input}/worst")
    @Produces("image/jpeg")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public Response worstFrame(@PathParam("id") long id, @PathParam("input") int input) throws SQLException {
        executions(id);
        JobReport report = reports.build(id);
        String still = report == null
                ? null
                : report.inputs().stream()
                        .filter(i -> i.input() == input && i.output() != null)
                        .map(i -> i.output().worstImage())
                        .filter(java.util.Objects::nonNull)
                        .findFirst()
                        .orElse(null);
        if (still == null) {
            throw ApiError.of(
                    Response.Status.NOT_FOUND, "input " + input + " of job " + id + " has no worst-frame still");
        }
        java.nio.file.Path jpg = files().image(java.nio.file.Path.of(still))
                .orElseThrow(() ->
                        ApiError.of(Response.Status.NOT_FOUND, "the worst-frame still of input " + input + " is gone"));
        return Response.ok(jpg.toFile())
                .header("Cache-Control", "private, max-age=3600")
                .build();
    }

    /**
     * One file of an input's published ladder: its playlists, manifest and segments, by the names
     * the packager gives them. Playlists name the rest relatively, so a player pointed at
     * {@code .../ladder/master.m3u8} (or {@code manifest.mpd}) fetches everything from here.
     */
    @GET
    @Path("{id}/inputs/{input}/ladder/{name}")
    @Produces({"application/vnd.apple.mpegurl", "application/dash+xml", "video/mp4"})
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public Response ladderFile(@PathParam("id") long id, @PathParam("input") int input, @PathParam("name") String name)
            throws SQLException {
        executions(id);
        String type = LadderFiles.contentType(name)
                .orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "a ladder has no file of that name"));
        JobReport report = reports.build(id);
        String dir = report == null
                ? null
                : report.inputs().stream()
                        .filter(i -> i.input() == input
                                && i.ladder() != null
                                && i.ladder().dir() != null)
                        .findFirst()
                        .map(i -> i.ladder().dir())
                        .orElse(null);
        if (dir == null) {
            throw ApiError.of(Response.Status.NOT_FOUND, "input " + input + " of job " + id + " has no ladder");
        }
        java.nio.file.Path file = files().ladderFile(java.nio.file.Path.of(dir), name)
                .orElseThrow(
                        () -> ApiError.of(Response.Status.NOT_FOUND, name + " is not in the ladder of input " + input));
        // Private, as thumbnails: a published ladder never changes (it appears at once, by a rename).
        return Response.ok(file.toFile(), type)
                .header("Cache-Control", "private, max-age=3600")
                .build();
    }

    private JobFiles files() {
        return new JobFiles(settings.roots());
    }

    @POST
    @Path("{id}/stop")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER})
    public Response stop(@PathParam("id") long id) {
        JobExecution latest = executions(id).get(0);
        try {
            operator.stop(latest.getExecutionId());
        } catch (JobExecutionNotRunningException e) {
            throw ApiError.of(
                    Response.Status.CONFLICT, "job " + id + " is not running (" + latest.getBatchStatus() + ")");
        } catch (JobSecurityException e) {
            throw ApiError.of(Response.Status.FORBIDDEN, "not allowed to stop job " + id);
        } catch (NoSuchJobExecutionException e) {
            throw ApiError.of(Response.Status.NOT_FOUND, "job " + id + " has no execution");
        }
        return Response.accepted(summary(TranscodeJob.instance(id))).build();
    }

    @POST
    @Path("{id}/restart")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER})
    public Response restart(@PathParam("id") long id, @QueryParam("workers") String workers) {
        JobExecution latest = executions(id).get(0);
        // Restart parameters replace the old ones in Jakarta Batch: pass the original ones again
        // (a job stopped while planning plans again from them).
        Properties props = new Properties();
        try {
            props.putAll(operator.getParameters(latest.getExecutionId()));
        } catch (JobSecurityException e) {
            throw ApiError.of(Response.Status.FORBIDDEN, "not allowed to restart job " + id);
        }
        if (workers != null) {
            FieldError error = TranscodeParameters.checkWorkers(workers, settings.maxWorkers());
            if (error != null) {
                throw ApiError.invalid(List.of(error));
            }
            props.setProperty(TranscodeParameters.WORKERS, workers);
        }
        try {
            // A restart runs workers again: the same limits as a submission, or stopping and
            // restarting jobs would get round them.
            synchronized (SubmitterLimits.TURN) {
                limit(props);
                operator.restart(latest.getExecutionId(), props);
            }
        } catch (JobExecutionIsRunningException e) {
            throw ApiError.of(Response.Status.CONFLICT, "job " + id + " is still running");
        } catch (JobRestartException | JobExecutionNotMostRecentException | JobExecutionAlreadyCompleteException e) {
            throw ApiError.of(
                    Response.Status.CONFLICT,
                    "job " + id + " cannot be restarted (" + latest.getBatchStatus() + "): " + e.getMessage());
        } catch (JobSecurityException e) {
            throw ApiError.of(Response.Status.FORBIDDEN, "not allowed to restart job " + id);
        } catch (NoSuchJobExecutionException e) {
            throw ApiError.of(Response.Status.NOT_FOUND, "job " + id + " has no execution");
        }
        return Response.accepted(summary(TranscodeJob.instance(id))).build();
    }

    /** The caller's running jobs and workers, with this one, within its limits; administrators have none. */
    private void limit(Properties job) {
        if (!security.isUserInRole(Roles.ADMIN)) {
            new SubmitterLimits(settings.jobsPerSubmitter(), settings.workersPerSubmitter()).check(operator, job);
        }
    }

    private JobViews.Summary summary(JobInstance instance) {
        try {
            return summary(
                    instance,
                    store.counts(List.of(instance.getInstanceId()))
                            .getOrDefault(instance.getInstanceId(), WorkStore.Counts.NONE));
        } catch (SQLException e) {
            throw ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "the database does not answer: " + e.getMessage());
        }
    }

    private JobViews.Summary summary(JobInstance instance, WorkStore.Counts c) {
        List<JobExecution> executions = executions(instance);
        JobExecution latest = executions.get(0);
        long id = instance.getInstanceId();
        JobViews.Progress p;
        try {
            // A running job's line in a list shows live progress and an ETA: that needs its items, ended ones do not.
            p = TranscodeJob.running(latest.getBatchStatus()) && c.items() > 0
                    ? progress.of(id, store.items(id), latest)
                    : JobProgress.of(c);
        } catch (SQLException e) {
            throw ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "the database does not answer: " + e.getMessage());
        }
        return new JobViews.Summary(
                id,
                latest.getBatchStatus().name(),
                latest.getExitStatus(),
                JobViews.outcome(latest.getExitStatus()),
                executions.get(executions.size() - 1).getCreateTime(),
                latest.getLastUpdatedTime(),
                p);
    }

    /** A job's executions, newest first; 404 when the job is unknown or not the caller's to see. */
    private List<JobExecution> executions(long id) {
        return executions(TranscodeJob.instance(id));
    }

    /** Newest first. */
    private List<JobExecution> executions(JobInstance instance) {
        try {
            List<JobExecution> all = new ArrayList<>(operator.getJobExecutions(instance));
            if (all.isEmpty()) {
                throw ApiError.of(Response.Status.NOT_FOUND, "no job " + instance.getInstanceId());
            }
            all.sort(Comparator.comparingLong(JobExecution::getExecutionId).reversed());
            return all;
        } catch (NoSuchJobInstanceException | JobSecurityException e) {
            throw ApiError.of(Response.Status.NOT_FOUND, "no job " + instance.getInstanceId());
        }
    }

    private static JobViews.Execution execution(JobExecution e) {
        return new JobViews.Execution(
                e.getExecutionId(), e.getBatchStatus().name(), e.getExitStatus(), e.getStartTime(), e.getEndTime());
    }

    private static boolean running(JobViews.Status s) {
        return TranscodeJob.running(BatchStatus.valueOf(s.status()));
    }
}
