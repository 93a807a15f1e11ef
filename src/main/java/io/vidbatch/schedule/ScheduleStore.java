package io.vidbatch.schedule;

import io.vidbatch.store.Tables;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Schedules, in the batch datasource beside the job repository (one backup holds both). */
@ApplicationScoped
public class ScheduleStore {

    @Resource(lookup = "jdbc/vidbatch")
    DataSource dataSource;

    /** In the order {@link #select} reads them. */
    private static final String SELECT =
            "SELECT NAME, CRON, ZONE, JOB, WATCH, ENABLED, GRACE_SECONDS, SAVED_AT FROM VB_SCHEDULE";

    private volatile boolean schemaReady;

    private void ensureSchema() throws SQLException {
        if (schemaReady) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            Tables.createIfMissing(
                    c,
                    "VB_SCHEDULE",
                    "CREATE TABLE VB_SCHEDULE (NAME VARCHAR(64) NOT NULL PRIMARY KEY, "
                            + "CRON VARCHAR(200) NOT NULL, ZONE VARCHAR(64) NOT NULL, JOB VARCHAR(32000) NOT NULL, "
                            + "WATCH SMALLINT NOT NULL, ENABLED SMALLINT NOT NULL, GRACE_SECONDS INT NOT NULL, SAVED_AT TIMESTAMP NOT NULL)");
            Tables.createIfMissing(
                    c,
                    "VB_SCHEDULE_RUN",
                    "CREATE TABLE VB_SCHEDULE_RUN (NAME VARCHAR(64) NOT NULL, "
                            + "FIRED_AT TIMESTAMP NOT NULL, OUTCOME VARCHAR(16) NOT NULL, JOB_INSTANCE BIGINT, MESSAGE VARCHAR(4000))");
            // A watched folder's ledger: each file a run of the schedule took (by a hash of its path: the key stays
            // short). JOB_INSTANCE is empty while the run that reserved the file starts its job.
            Tables.createIfMissing(
                    c,
                    "VB_SCHEDULE_FILE",
                    "CREATE TABLE VB_SCHEDULE_FILE (NAME VARCHAR(64) NOT NULL, "
                            + "PATH_HASH CHAR(64) NOT NULL, PATH VARCHAR(4000) NOT NULL, BYTES BIGINT NOT NULL, JOB_INSTANCE BIGINT, "
                            + "PRIMARY KEY (NAME, PATH_HASH))");
            Tables.createIfMissing(
                    c, "VB_SCHEDULE_RUN_NAME", "CREATE INDEX VB_SCHEDULE_RUN_NAME ON VB_SCHEDULE_RUN (NAME, FIRED_AT)");
        }
        schemaReady = true;
    }

    public List<Schedule> all() throws SQLException {
        return select(SELECT + " ORDER BY NAME");
    }

    public Optional<Schedule> named(String name) throws SQLException {
        return select(SELECT + " WHERE NAME = ?", name).stream().findFirst();
    }

    /** Creates or replaces; true when it created. */
    public boolean put(Schedule s) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            Timestamp saved = Timestamp.from(s.savedAt());
            if (Tables.update(
                            c,
                            "UPDATE VB_SCHEDULE SET CRON = ?, ZONE = ?, JOB = ?, WATCH = ?, ENABLED = ?, GRACE_SECONDS = ?, "
                                    + "SAVED_AT = ? WHERE NAME = ?",
                            s.cron(),
                            s.zone().getId(),
                            s.job(),
                            flag(s.watch()),
                            flag(s.enabled()),
                            (int) s.grace().toSeconds(),
                            saved,
                            s.name())
                    > 0) {
                return false;
            }
            Tables.update(
                    c,
                    "INSERT INTO VB_SCHEDULE (NAME, CRON, ZONE, JOB, WATCH, ENABLED, GRACE_SECONDS, SAVED_AT) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    s.name(),
                    s.cron(),
                    s.zone().getId(),
                    s.job(),
                    flag(s.watch()),
                    flag(s.enabled()),
                    (int) s.grace().toSeconds(),
                    saved);
            return true;
        }
    }

    /** True when there was one to delete. */
    public boolean delete(String name) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.update(c, "DELETE FROM VB_SCHEDULE WHERE NAME = ?", name) > 0;
        }
    }

    /**
     * What one firing of a schedule did: {@code STARTED} a job, or {@code SKIPPED} or {@code FAILED} and why;
     * {@code MISSED}: it fell due while the server was down and was too late to run at start-up.
     */
    public record Run(Instant firedAt, String outcome, Long jobInstance, String message) {}

    public void recordRun(String name, Run run) throws SQLException {
        ensureSchema();
        String message = run.message() == null || run.message().length() <= 4000
                ? run.message()
                : run.message().substring(0, 3999) + "…";
        try (Connection c = dataSource.getConnection()) {
            Tables.update(
                    c,
                    "INSERT INTO VB_SCHEDULE_RUN (NAME, FIRED_AT, OUTCOME, JOB_INSTANCE, MESSAGE) VALUES (?, ?, ?, ?, ?)",
                    name,
                    Timestamp.from(run.firedAt()),
                    run.outcome(),
                    run.jobInstance(),
                    message);
        }
    }

    /** The schedule's runs, newest first. */
    public List<Run> runs(String name, int limit) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.query(
                    c,
                    "SELECT FIRED_AT, OUTCOME, JOB_INSTANCE, MESSAGE FROM VB_SCHEDULE_RUN WHERE NAME = ? "
                            + "ORDER BY FIRED_AT DESC FETCH FIRST " + limit + " ROWS ONLY",
                    rs -> {
                        long job = rs.getLong(3);
                        Long instance = rs.wasNull()
                                ? null
                                : job; // asked right after its column: wasNull speaks of the last read
                        return new Run(rs.getTimestamp(1).toInstant(), rs.getString(2), instance, rs.getString(4));
                    },
                    name);
        }
    }

    /** When the schedule last fell due and ran, was skipped or was missed; empty before its first firing. */
    public Optional<Instant> lastFiredAt(String name) throws SQLException {
        return runs(name, 1).stream().map(Run::firedAt).findFirst();
    }

    /** The files of a watched folder that runs of this schedule took already. */
    public Set<String> taken(String name) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return new HashSet<>(
                    Tables.query(c, "SELECT PATH FROM VB_SCHEDULE_FILE WHERE NAME = ?", rs -> rs.getString(1), name));
        }
    }

    /**
     * Reserves these files (path → size) for a run, before its job starts: a file is never given to two
     * runs, as the table's key refuses a second reservation. {@link #assign} names the job once it started;
     * {@link #release} gives them back if it could not start.
     */
    public void reserve(String name, Map<String, Long> files) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO VB_SCHEDULE_FILE (NAME, PATH_HASH, PATH, BYTES) VALUES (?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (Map.Entry<String, Long> f : files.entrySet()) {
                ps.setString(1, name);
                ps.setString(2, sha256(f.getKey()));
                ps.setString(3, f.getKey());
                ps.setLong(4, f.getValue());
                ps.addBatch();
            }
            try {
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public void assign(String name, Set<String> files, long jobInstance) throws SQLException {
        forEach(
                name,
                files,
                "UPDATE VB_SCHEDULE_FILE SET JOB_INSTANCE = ? WHERE NAME = ? AND PATH_HASH = ?",
                jobInstance);
    }

    public void release(String name, Set<String> files) throws SQLException {
        forEach(name, files, "DELETE FROM VB_SCHEDULE_FILE WHERE NAME = ? AND PATH_HASH = ?");
    }

    /** Runs {@code sql} once per file, binding {@code first} (if any), then the name and the file's key. */
    private void forEach(String name, Set<String> files, String sql, Object... first) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (String f : files) {
                for (int i = 0; i < first.length; i++) {
                    ps.setObject(i + 1, first[i]);
                }
                ps.setString(first.length + 1, name);
                ps.setString(first.length + 2, sha256(f));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Schedule> select(String sql, Object... args) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.query(
                    c,
                    sql,
                    rs -> new Schedule(
                            rs.getString(1),
                            rs.getString(2),
                            ZoneId.of(rs.getString(3)),
                            rs.getString(4),
                            rs.getInt(5) != 0,
                            rs.getInt(6) != 0,
                            Duration.ofSeconds(rs.getInt(7)),
                            rs.getTimestamp(8).toInstant()),
                    args);
        }
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }
}
