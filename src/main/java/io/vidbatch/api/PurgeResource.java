package io.vidbatch.api;

import io.vidbatch.retention.Purge;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * Purges old job instances on request, as the nightly run does ({@code RETENTION_DAYS}): for
 * batchAdmin only, since it forgets every submitter's jobs.
 */
@Path("/purge")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PurgeResource {

    private static final Set<String> FIELDS = Set.of("olderThanDays", "endedBefore", "outputs");

    @Inject
    Purge purge;

    /**
     * @param purged     instance ids purged, oldest first
     * @param failed     "instance N: why" for each that could not be
     * @param outputs    outputs deleted (with {@code "outputs": true})
     * @param swept      jobs purged elsewhere (Liberty's API, Admin Center) whose vidbatch rows went now
     */
    public record Result(List<Long> purged, List<String> failed, int outputs, int swept) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Result purge(InputStream body) throws IOException, SQLException {
        JsonObject o = JsonBody.parse(body);
        for (String k : o.keySet()) {
            if (!FIELDS.contains(k)) {
                throw ApiError.of(Response.Status.BAD_REQUEST, "unknown field " + k + " (known: " + FIELDS + ")");
            }
        }
        Instant before = endedBefore(o);
        JsonValue outputs = o.getOrDefault("outputs", JsonValue.FALSE);
        if (outputs != JsonValue.TRUE && outputs != JsonValue.FALSE) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "outputs must be true or false");
        }
        Purge.Report r = purge.run(before, outputs == JsonValue.TRUE);
        return new Result(r.purged(), r.failed(), r.outputs(), purge.sweep());
    }

    /** olderThanDays (whole days, at least 0) or endedBefore (an ISO-8601 instant), exactly one. */
    private static Instant endedBefore(JsonObject o) {
        boolean days = o.containsKey("olderThanDays");
        if (days == o.containsKey("endedBefore")) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "give olderThanDays or endedBefore, one of them");
        }
        if (days) {
            if (!(o.get("olderThanDays") instanceof JsonNumber n)
                    || !n.isIntegral()
                    || n.longValue() < 0
                    || n.longValue() > 36_500) {
                throw ApiError.of(Response.Status.BAD_REQUEST, "olderThanDays must be a whole number from 0 to 36500");
            }
            return Instant.now().minus(Duration.ofDays(n.longValue()));
        }
        if (!(o.get("endedBefore") instanceof JsonString s)) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "endedBefore must be an instant, e.g. 2026-12-01T00:00:00Z");
        }
        try {
            return Instant.parse(s.getString());
        } catch (DateTimeParseException e) {
            throw ApiError.of(
                    Response.Status.BAD_REQUEST,
                    "endedBefore must be an instant, e.g. 2026-12-01T00:00:00Z, not " + s.getString());
        }
    }
}
