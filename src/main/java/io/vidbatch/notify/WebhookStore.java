package io.vidbatch.notify;

import io.vidbatch.store.Tables;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Endpoints and the outbox of deliveries, in the batch datasource: an event is written here
 * before anyone tries to send it, so a coordinator that dies loses none; a row is marked
 * delivered only after the endpoint answered 2xx, so one may arrive twice, with the same id.
 */
@ApplicationScoped
public class WebhookStore {

    /** A delivery of one event to one endpoint. */
    public record Delivery(
            String id,
            String endpoint,
            String type,
            String subject,
            Long jobInstance,
            String body,
            String state,
            int attempts,
            Instant created,
            Instant nextAt,
            Instant lastAt,
            String lastError,
            Instant deliveredAt) {}

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    /** Given up: the endpoint was deleted, or it refused for longer than the retry window. */
    public static final String FAILED = "FAILED";

    private static final String DELIVERY_COLUMNS = "ID, ENDPOINT, TYPE, SUBJECT, JOB_INSTANCE, BODY, STATE, ATTEMPTS, "
            + "CREATED, NEXT_AT, LAST_AT, LAST_ERROR, DELIVERED_AT";

    @Resource(lookup = "jdbc/vidbatch")
    DataSource dataSource;

    private volatile boolean schemaReady;

    void ensureSchema() throws SQLException {
        if (schemaReady) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            Tables.createIfMissing(
                    c,
                    "VB_WEBHOOK",
                    "CREATE TABLE VB_WEBHOOK (NAME VARCHAR(64) NOT NULL PRIMARY KEY, URL VARCHAR(2000) NOT NULL, "
                            + "SECRET VARCHAR(512) NOT NULL, SAVED_AT TIMESTAMP NOT NULL)");
            Tables.createIfMissing(
                    c,
                    "VB_DELIVERY",
                    "CREATE TABLE VB_DELIVERY (ID CHAR(36) NOT NULL, ENDPOINT VARCHAR(64) NOT NULL, "
                            + "TYPE VARCHAR(64) NOT NULL, SUBJECT VARCHAR(200) NOT NULL, JOB_INSTANCE BIGINT, "
                            + "BODY VARCHAR(32000) NOT NULL, STATE VARCHAR(16) NOT NULL, ATTEMPTS INT NOT NULL, "
                            + "CREATED TIMESTAMP NOT NULL, NEXT_AT TIMESTAMP NOT NULL, LAST_AT TIMESTAMP, "
                            + "LAST_ERROR VARCHAR(1000), DELIVERED_AT TIMESTAMP, PRIMARY KEY (ID, ENDPOINT))");
            Tables.createIfMissing(
                    c, "VB_DELIVERY_DUE", "CREATE INDEX VB_DELIVERY_DUE ON VB_DELIVERY (STATE, NEXT_AT)");
            Tables.createIfMissing(c, "VB_DELIVERY_JOB", "CREATE INDEX VB_DELIVERY_JOB ON VB_DELIVERY (JOB_INSTANCE)");
            Tables.createIfMissing(
                    c, "VB_DELIVERY_ENDPOINT", "CREATE INDEX VB_DELIVERY_ENDPOINT ON VB_DELIVERY (ENDPOINT, CREATED)");
        }
        schemaReady = true;
    }

    /** Creates or replaces; true when it created. */
    public boolean put(Webhook w) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            Timestamp saved = Timestamp.from(w.savedAt());
            if (Tables.update(
                            c,
                            "UPDATE VB_WEBHOOK SET URL = ?, SECRET = ?, SAVED_AT = ? WHERE NAME = ?",
                            w.url().toString(),
                            w.secret(),
                            saved,
                            w.name())
                    > 0) {
                return false;
            }
            Tables.update(
                    c,
                    "INSERT INTO VB_WEBHOOK (NAME, URL, SECRET, SAVED_AT) VALUES (?, ?, ?, ?)",
                    w.name(),
                    w.url().toString(),
                    w.secret(),
                    saved);
            return true;
        }
    }

    public List<Webhook> all() throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.query(
                    c, "SELECT NAME, URL, SECRET, SAVED_AT FROM VB_WEBHOOK ORDER BY NAME", WebhookStore::webhook);
        }
    }

    public Optional<Webhook> named(String name) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.query(
                            c,
                            "SELECT NAME, URL, SECRET, SAVED_AT FROM VB_WEBHOOK WHERE NAME = ?",
                            WebhookStore::webhook,
                            name)
                    .stream()
                    .findFirst();
        }
    }

    /** Deletes the endpoint; its deliveries stay, as history (pending ones then fail). */
    public boolean delete(String name) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.update(c, "DELETE FROM VB_WEBHOOK WHERE NAME = ?", name) > 0;
        }
    }

    /** The event, once for each endpoint, due at once; in one transaction: all or none. */
    public void enqueue(Event e, List<String> endpoints, Instant now) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (String endpoint : endpoints) {
                    Tables.update(
                            c,
                            "INSERT INTO VB_DELIVERY (" + DELIVERY_COLUMNS
                                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL, NULL, NULL)",
                            e.id(),
                            endpoint,
                            e.type(),
                            e.subject(),
                            e.jobInstance(),
                            e.body(),
                            PENDING,
                            Timestamp.from(now),
                            Timestamp.from(now));
                }
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** Pending deliveries due by {@code now}, the longest waiting first. */
    public List<Delivery> due(Instant now, int limit) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.first(
                    c,
                    limit,
                    // Ties (a failing endpoint's postponed backlog shares one time): the oldest event first.
                    "SELECT " + DELIVERY_COLUMNS
                            + " FROM VB_DELIVERY WHERE STATE = ? AND NEXT_AT <= ? ORDER BY NEXT_AT, CREATED, ID",
                    WebhookStore::delivery,
                    PENDING,
                    Timestamp.from(now));
        }
    }

    /** After an attempt: delivered, due again at {@code nextAt}, or given up ({@link #FAILED}). */
    public void attempted(Delivery d, String state, Instant at, Instant nextAt, String error) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Tables.update(
                    c,
                    "UPDATE VB_DELIVERY SET STATE = ?, ATTEMPTS = ATTEMPTS + 1, LAST_AT = ?, NEXT_AT = ?, LAST_ERROR = ?, "
                            + "DELIVERED_AT = ? WHERE ID = ? AND ENDPOINT = ?",
                    state,
                    Timestamp.from(at),
                    Timestamp.from(nextAt),
                    error == null ? null : error.length() > 1000 ? error.substring(0, 999) + "…" : error,
                    state.equals(DELIVERED) ? Timestamp.from(at) : null,
                    d.id(),
                    d.endpoint());
        }
    }

    /**
     * The endpoint's other deliveries due by {@code now} wait for {@code next}, untried (their
     * attempts do not count), with why: the endpoint is failing.
     */
    public void postpone(String endpoint, Instant now, Instant next, String why) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Tables.update(
                    c,
                    "UPDATE VB_DELIVERY SET NEXT_AT = ?, LAST_ERROR = ? WHERE ENDPOINT = ? AND STATE = ? AND NEXT_AT <= ?",
                    Timestamp.from(next),
                    why.length() > 1000 ? why.substring(0, 999) + "…" : why,
                    endpoint,
                    PENDING,
                    Timestamp.from(now));
        }
    }

    /** The newest deliveries to an endpoint. */
    public List<Delivery> toEndpoint(String endpoint, int limit) throws SQLException {
        return newest("ENDPOINT = ?", endpoint, limit);
    }

    /** A job's deliveries, newest first. */
    public List<Delivery> ofJob(long jobInstance, int limit) throws SQLException {
        return newest("JOB_INSTANCE = ?", jobInstance, limit);
    }

    private List<Delivery> newest(String where, Object arg, int limit) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.first(
                    c,
                    limit,
                    "SELECT " + DELIVERY_COLUMNS + " FROM VB_DELIVERY WHERE " + where + " ORDER BY CREATED DESC",
                    WebhookStore::delivery,
                    arg);
        }
    }

    /** Forgets a purged job's deliveries. */
    public void forgetJob(long jobInstance) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            Tables.update(c, "DELETE FROM VB_DELIVERY WHERE JOB_INSTANCE = ?", jobInstance);
        }
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        return new Webhook(
                rs.getString(1),
                URI.create(rs.getString(2)),
                rs.getString(3),
                rs.getTimestamp(4).toInstant());
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        long job = rs.getLong(5);
        Long jobInstance = rs.wasNull() ? null : job;
        return new Delivery(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                jobInstance,
                rs.getString(6),
                rs.getString(7),
                rs.getInt(8),
                instant(rs.getTimestamp(9)),
                instant(rs.getTimestamp(10)),
                instant(rs.getTimestamp(11)),
                rs.getString(12),
                instant(rs.getTimestamp(13)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
