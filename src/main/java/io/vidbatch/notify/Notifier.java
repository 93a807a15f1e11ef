package io.vidbatch.notify;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts events into the outbox for the endpoints a job or schedule names in {@code notify}
 * (comma-separated endpoint names); {@link Dispatcher} sends them.
 */
@ApplicationScoped
public class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class.getName());
    public static final int MAX_ENDPOINTS = 10;
    static final int MAX_CHARS = 255;

    @Inject
    WebhookStore store;

    /**
     * The endpoint names in a {@code notify} value, in order, once each; empty for null or blank.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static List<String> names(String notify) {
        if (notify == null || notify.isBlank()) {
            return List.of();
        }
        if (notify.length() > MAX_CHARS) {
            // A job parameter: Liberty's repository keeps each in 255 characters (and a long hostile
            // value is refused before it is split).
            throw new IllegalArgumentException("at most " + MAX_CHARS + " characters");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : notify.split(",", -1)) {
            String name = part.strip();
            if (!Webhook.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
                        + "' is not a webhook name (a-z, 0-9 and -, at most 64)");
            }
            names.add(name);
        }
        if (names.size() > MAX_ENDPOINTS) {
            throw new IllegalArgumentException("at most " + MAX_ENDPOINTS + " webhooks");
        }
        return List.copyOf(names);
    }

    /** The names in {@code notify} that no endpoint has. */
    public List<String> unknown(String notify) throws SQLException {
        List<String> unknown = new ArrayList<>();
        for (String name : names(notify)) {
            if (store.named(name).isEmpty()) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** A job's execution ended; {@code status} is its final batch status. */
    public void jobEnded(
            String notify,
            String submitter,
            long instance,
            long execution,
            String status,
            String exitStatus,
            String outcome) {
        send(notify, Event.jobEnded(instance, execution, submitter, status, exitStatus, outcome, Instant.now()));
    }

    /** A schedule's firing started no job ({@code outcome} FAILED or MISSED). */
    public void scheduleRun(String notify, String schedule, String outcome, Instant firedAt, String message) {
        send(notify, Event.scheduleRun(schedule, outcome, firedAt, message, Instant.now()));
    }

    private void send(String notify, Event e) {
        List<String> endpoints;
        try {
            endpoints = names(notify);
        } catch (IllegalArgumentException bad) {
            // Checked when the job or schedule was saved; only Liberty's own API lets one through.
            // The value came through Liberty's own API unchecked: no control characters into the log.
            LOG.warning(() -> e.type() + " " + e.subject() + " not sent: notify "
                    + bad.getMessage().replaceAll("\\p{Cntrl}", "?"));
            return;
        }
        if (endpoints.isEmpty()) {
            return;
        }
        try {
            store.enqueue(e, endpoints, Instant.now());
        } catch (SQLException ex) {
            // The outbox is the only record of the event: say so loudly; the job's own record stands.
            LOG.log(Level.SEVERE, e.type() + " " + e.subject() + " for " + endpoints + " could not be recorded", ex);
        }
    }
}
