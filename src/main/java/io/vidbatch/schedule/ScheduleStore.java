package io.vidbatch.schedule;

import io.vidbatch.job.WorkStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Schedules, in the batch datasource beside the job repository (one backup holds both). */
@ApplicationScoped
public class ScheduleStore {

    @Resource(lookup = "jdbc/vidbatch")
    DataSource dataSource;

    private volatile boolean schemaReady;

    private void ensureSchema() throws SQLException {
        if (schemaReady) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            WorkStore.createIfMissing(c, "VB_SCHEDULE", "CREATE TABLE VB_SCHEDULE (NAME VARCHAR(64) NOT NULL PRIMARY KEY, "
                    + "CRON VARCHAR(200) NOT NULL, ZONE VARCHAR(64) NOT NULL, JOB VARCHAR(32000) NOT NULL, "
                    + "WATCH SMALLINT NOT NULL, ENABLED SMALLINT NOT NULL)");
        }
        schemaReady = true;
    }

    public List<Schedule> all() throws SQLException {
        return select("SELECT NAME, CRON, ZONE, JOB, WATCH, ENABLED FROM VB_SCHEDULE ORDER BY NAME");
    }

    public Optional<Schedule> named(String name) throws SQLException {
        return select("SELECT NAME, CRON, ZONE, JOB, WATCH, ENABLED FROM VB_SCHEDULE WHERE NAME = ?", name).stream().findFirst();
    }

    /** Creates or replaces; true when it created. */
    public boolean put(Schedule s) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            if (update(c, "UPDATE VB_SCHEDULE SET CRON = ?, ZONE = ?, JOB = ?, WATCH = ?, ENABLED = ? WHERE NAME = ?",
                    s.cron(), s.zone().getId(), s.job(), flag(s.watch()), flag(s.enabled()), s.name()) > 0) {
                return false;
            }
            update(c, "INSERT INTO VB_SCHEDULE (NAME, CRON, ZONE, JOB, WATCH, ENABLED) VALUES (?, ?, ?, ?, ?, ?)",
                    s.name(), s.cron(), s.zone().getId(), s.job(), flag(s.watch()), flag(s.enabled()));
            return true;
        }
    }

    /** True when there was one to delete. */
    public boolean delete(String name) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return update(c, "DELETE FROM VB_SCHEDULE WHERE NAME = ?", name) > 0;
        }
    }

    private List<Schedule> select(String sql, Object... args) throws SQLException {
        ensureSchema();
        List<Schedule> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Schedule(rs.getString(1), rs.getString(2), ZoneId.of(rs.getString(3)), rs.getString(4),
                            rs.getInt(5) != 0, rs.getInt(6) != 0));
                }
            }
        }
        return out;
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
