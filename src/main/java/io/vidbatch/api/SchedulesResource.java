package io.vidbatch.api;

import io.vidbatch.config.Settings;
import io.vidbatch.job.FieldError;
import io.vidbatch.schedule.Schedule;
import io.vidbatch.schedule.ScheduleRunner;
import io.vidbatch.schedule.ScheduleStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.io.StringReader;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
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
    private static final Set<String> FIELDS = Set.of("cron", "zone", "job", "watch", "enabled");

    @Inject
    ScheduleStore store;

    @Inject
    Settings settings;

    @Inject
    ScheduleRunner runner;

    private static final int RUNS_SHOWN = 20;

    /** A schedule as the API shows it. */
    /** @param runs the latest firings, newest first (in a single schedule's view only) */
    public record View(String name, String cron, String zone, JsonObject job, boolean watch, boolean enabled,
                       String nextFire, List<ScheduleStore.Run> runs) {
        static View of(Schedule s, List<ScheduleStore.Run> runs) {
            try (JsonReader r = Json.createReader(new StringReader(s.job()))) {
                return new View(s.name(), s.cron(), s.zone().getId(), r.readObject(), s.watch(), s.enabled(),
                        s.nextFire(ZonedDateTime.now()).map(ZonedDateTime::toString).orElse(null), runs);
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
        Schedule s = read(name, SubmitRequest.parse(body));
        boolean created = store.put(s);
        runner.changed(name, s);
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK).entity(View.of(s, List.of())).build();
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
            errors.add(new FieldError("name", "lower-case letters, digits and '-', at most 64, starting with a letter or digit"));
        }
        o.keySet().stream().filter(k -> !FIELDS.contains(k))
                .forEach(k -> errors.add(new FieldError(k, "unknown field (known: cron, enabled, job, watch, zone)")));
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
            new Schedule(name, cron, zone, "{}", false, true).trigger();
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("cron", "not a cron expression: '" + cron + "' (minute hour day month weekday, "
                    + "optionally seconds first; e.g. '0 2 * * *' for 02:00 every day)"));
        }
        JsonValue job = o.get("job");
        if (!(job instanceof JsonObject jobObject)) {
            errors.add(new FieldError("job", "the job to run, as for POST /jobs: {\"inputs\": [...], ...}"));
        } else {
            try {
                SubmitRequest.of(jobObject).checked(settings);
            } catch (jakarta.ws.rs.WebApplicationException e) {
                if (e.getResponse().getEntity() instanceof ApiError err) {
                    err.errors().forEach(f -> errors.add(new FieldError("job." + f.field(), f.message())));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiError.invalid("invalid schedule", errors);
        }
        return new Schedule(name, cron, zone, job.toString(), o.getBoolean("watch", false), o.getBoolean("enabled", true));
    }
}
