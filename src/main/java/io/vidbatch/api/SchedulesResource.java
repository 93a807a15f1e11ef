package io.vidbatch.api;

import io.vidbatch.config.Settings;
import io.vidbatch.job.FieldError;
import io.vidbatch.job.InvalidJobException;
import io.vidbatch.job.JobRequest;
import io.vidbatch.job.TranscodeParameters;
import io.vidbatch.notify.Notifier;
import io.vidbatch.schedule.Schedule;
import io.vidbatch.schedule.ScheduleRunner;
import io.vidbatch.schedule.ScheduleStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.concurrent.CronTrigger;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.InputStream;
import java.io.StringReader;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Schedules of the transcode job: batchAdmin creates, changes and deletes them; every batch role
 * reads them with their next fire time. A schedule's job is checked as a submission is, when the
 * schedule is stored, so a typo shows now and not at two in the morning.
 */
@Path("/schedules")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SchedulesResource {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Set<String> FIELDS = Set.of("cron", "zone", "job", "watch", "enabled", "graceSeconds");
    /** A nightly run missed by up to an hour (a restart, an upgrade) still runs; later, it waits for the next night. */
    static final int DEFAULT_GRACE_SECONDS = 3600;

    static final int MAX_GRACE_SECONDS = 7 * 24 * 3600;

    @Inject
    Notifier notifier;

    @Inject
    ScheduleStore store;

    @Inject
    Settings settings;

    @Inject
    ScheduleRunner runner;

    private static final int RUNS_SHOWN = 20;

    /**
     * A schedule as the API shows it.
     *
     * @param runs the latest firings, newest first (in a single schedule's view only)
     */
    public record View(
            String name,
            String cron,
            String zone,
            JsonObject job,
            boolean watch,
            boolean enabled,
            long graceSeconds,
            String savedAt,
            String nextFire,
            List<ScheduleStore.Run> runs) {
        static View of(Schedule s, List<ScheduleStore.Run> runs) {
            try (JsonReader r = Json.createReader(new StringReader(s.job()))) {
                return new View(
                        s.name(),
                        s.cron(),
                        s.zone().getId(),
                        r.readObject(),
                        s.watch(),
                        s.enabled(),
                        s.grace().toSeconds(),
                        s.savedAt().toString(),
                        s.nextFire(ZonedDateTime.now())
                                .map(ZonedDateTime::toString)
                                .orElse(null),
                        runs);
            }
        }
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public List<View> list() throws SQLException {
        return store.all().stream().map(s -> View.of(s, List.of())).toList();
    }

    @GET
    @Path("{name}")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public View get(@PathParam("name") String name) throws SQLException {
        Schedule s = store.named(name).orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "no schedule " + name));
        return View.of(s, store.runs(name, RUNS_SHOWN));
    }

    /** Creates (201) or replaces (200) the schedule of this name. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response put(@PathParam("name") String name, InputStream body) throws SQLException {
        Schedule s = read(name, JsonBody.parse(body));
        boolean created = store.put(s);
        runner.changed(name, s);
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(View.of(s, List.of()))
                .build();
    }

    /**
     * Fires the schedule now, whether or not it is enabled (a Kubernetes CronJob's way in): 201 with
     * the job's URL when a job started, 200 when the firing was skipped, 409 when no job could start.
     * Either way the run is in the schedule's history, and its job runs as the scheduler.
     */
    @POST
    @Path("{name}/runs")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER})
    public Response run(@PathParam("name") String name, @Context UriInfo uri) throws SQLException {
        store.named(name).orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "no schedule " + name));
        ScheduleStore.Run run = runner.runNow(name);
        if (run == null) { // deleted meanwhile
            throw ApiError.of(Response.Status.NOT_FOUND, "no schedule " + name);
        }
        return switch (run.outcome()) {
            case "STARTED" ->
                Response.created(uri.getBaseUriBuilder()
                                .path("jobs")
                                .path(Long.toString(run.jobInstance()))
                                .build())
                        .entity(run)
                        .build();
            case "SKIPPED" -> Response.ok(run).build();
            default -> Response.status(Response.Status.CONFLICT).entity(run).build();
        };
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("name") String name) throws SQLException {
        if (!store.delete(name)) {
            throw ApiError.of(Response.Status.NOT_FOUND, "no schedule " + name);
        }
        runner.changed(name, null);
        return Response.noContent().build();
    }

    /** Every fault at once, as a submission's are. */
    private Schedule read(String name, JsonObject o) {
        List<FieldError> errors = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError(
                    "name", "lower-case letters, digits and '-', at most 64, starting with a letter or digit"));
        }
        o.keySet().stream()
                .filter(k -> !FIELDS.contains(k))
                .forEach(k -> errors.add(
                        new FieldError(k, "unknown field (known: cron, enabled, graceSeconds, job, watch, zone)")));
        ZoneId zone = ZoneId.systemDefault();
        if (o.containsKey("zone")) {
            try {
                zone = ZoneId.of(o.getString("zone", ""));
            } catch (DateTimeException e) {
                errors.add(new FieldError("zone", "not a time zone: " + o.get("zone") + " (e.g. Europe/Paris, UTC)"));
            }
        }
        String cron = o.getString("cron", "").strip();
        try {
            new CronTrigger(cron, zone);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(
                    "cron",
                    "not a cron expression: '" + cron + "' (minute hour day month weekday, "
                            + "optionally seconds first; e.g. '0 2 * * *' for 02:00 every day)"));
        }
        int grace = DEFAULT_GRACE_SECONDS;
        if (o.containsKey("graceSeconds")) {
            JsonValue g = o.get("graceSeconds");
            if (g instanceof JsonNumber n
                    && n.isIntegral()
                    && n.longValue() >= 0
                    && n.longValue() <= MAX_GRACE_SECONDS) {
                grace = n.intValue();
            } else {
                errors.add(new FieldError(
                        "graceSeconds",
                        "a whole number of seconds from 0 (a missed firing never runs late) to " + MAX_GRACE_SECONDS
                                + " (a week), not " + g));
            }
        }
        JsonValue job = o.get("job");
        if (!(job instanceof JsonObject jobObject)) {
            errors.add(new FieldError("job", "the job to run, as for POST /jobs: {\"inputs\": [...], ...}"));
        } else {
            try {
                Properties props = JobRequest.of(jobObject).checked(settings);
                // A disabled schedule may keep a webhook that went away (disabling it must not fail for that).
                if (o.getBoolean("enabled", true)) {
                    Webhooks.checkKnown(
                            notifier, props.getProperty(TranscodeParameters.NOTIFY), TranscodeParameters.NOTIFY);
                }
            } catch (InvalidJobException e) {
                e.errors().forEach(f -> errors.add(new FieldError("job." + f.field(), f.message())));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiError.invalid("invalid schedule", errors);
        }
        return new Schedule(
                name,
                cron,
                zone,
                job.toString(),
                o.getBoolean("watch", false),
                o.getBoolean("enabled", true),
                Duration.ofSeconds(grace),
                Instant.now());
    }
}
