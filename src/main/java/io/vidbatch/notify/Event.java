package io.vidbatch.notify;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One event as a CloudEvent 1.0 in structured JSON ({@code application/cloudevents+json}): its
 * body is fixed when the event happens, so every attempt to every endpoint sends the same bytes,
 * with the same id for a receiver to drop duplicates by.
 */
public record Event(String id, String type, String subject, Long jobInstance, String body) {

    static final String TYPE_PREFIX = "io.vidbatch.";
    static final int MAX_MESSAGE = 2000;

    /** A job's execution ended: completed (all inputs done), partial, failed or stopped. */
    public static Event jobEnded(
            long instance,
            long execution,
            String submitter,
            String status,
            String exitStatus,
            String outcome,
            Instant at) {
        String kind = switch (status) {
            case "COMPLETED" -> "PARTIAL".equals(outcome) ? "partial" : "completed";
            case "FAILED" -> "failed";
            default -> "stopped";
        };
        JsonObjectBuilder data = Json.createObjectBuilder()
                .add("job", instance)
                .add("execution", execution)
                .add("status", status);
        if (submitter != null) {
            data.add("submitter", submitter); // any submitter may name an endpoint: whose job it was
        }
        if (exitStatus != null) {
            data.add("exitStatus", exitStatus);
        }
        if (outcome != null) {
            data.add("outcome", outcome);
        }
        data.add("links", Json.createObjectBuilder().add("job", "/vidbatch/api/v1/jobs/" + instance));
        return of("job." + kind, "/vidbatch/api/v1/jobs", Long.toString(instance), instance, data.build(), at);
    }

    /** A schedule's firing started no job: it failed, or fell while the server was down. */
    public static Event scheduleRun(String schedule, String outcome, Instant firedAt, String message, Instant at) {
        JsonObjectBuilder data = Json.createObjectBuilder()
                .add("schedule", schedule)
                .add("outcome", outcome)
                .add("firedAt", firedAt.truncatedTo(ChronoUnit.MILLIS).toString());
        if (message != null) {
            // A run's message may name many watched folders of long paths; the event stays small.
            data.add("message", message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message);
        }
        data.add("links", Json.createObjectBuilder().add("schedule", "/vidbatch/api/v1/schedules/" + schedule));
        return of(
                "schedule." + ("MISSED".equals(outcome) ? "missed" : "failed"),
                "/vidbatch/api/v1/schedules",
                schedule,
                null,
                data.build(),
                at);
    }

    private static Event of(String type, String source, String subject, Long job, JsonObject data, Instant at) {
        String id = UUID.randomUUID().toString();
        String body = Json.createObjectBuilder()
                .add("specversion", "1.0")
                .add("id", id)
                .add("source", source)
                .add("type", TYPE_PREFIX + type)
                .add("subject", subject)
                .add("time", at.truncatedTo(ChronoUnit.MILLIS).toString())
                .add("datacontenttype", "application/json")
                .add("data", data)
                .build()
                .toString();
        return new Event(id, TYPE_PREFIX + type, subject, job, body);
    }
}
