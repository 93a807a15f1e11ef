package io.vidbatch.launch.kubernetes;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * This coordinator's identity as the owner of worker Jobs: a random id kept in the batch
 * database, so coordinators sharing one database (a restarted pod, a second replica) are one
 * owner, while a second installation, or this one after its database was recreated, is another
 * and never adopts or deletes the first one's Jobs.
 */
@ApplicationScoped
public class Owner {

    private static final String KEY = "kubernetes-owner";

    @Resource(lookup = "jdbc/vidbatch")
    DataSource dataSource;

    /** Its tasks run outside the caller's transaction (a chunk's): a failed CREATE must not spoil that. */
    @Resource
    ManagedExecutorService executor;

    private volatile String id;

    public String id() throws SQLException, InterruptedException {
        String known = id;
        if (known != null) {
            return known;
        }
        try {
            id = executor.submit(this::load).get();
            return id;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        }
    }

    private String load() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE VB_IDENTITY (NAME VARCHAR(32) NOT NULL PRIMARY KEY, ID CHAR(36) NOT NULL)");
            } catch (SQLException exists) {
                // Made by an earlier start or by another server at the same moment; a real failure shows in the read.
            }
            String found = read(c);
            if (found == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO VB_IDENTITY (NAME, ID) VALUES (?, ?)")) {
                    ps.setString(1, KEY);
                    ps.setString(2, UUID.randomUUID().toString());
                    ps.executeUpdate();
                } catch (SQLException raced) {
                    // Another server of the same database wrote its id first: that one is ours too.
                }
                found = read(c);
            }
            if (found == null) {
                throw new SQLException("no owner id in VB_IDENTITY");
            }
            return found.strip();
        }
    }

    private static String read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ID FROM VB_IDENTITY WHERE NAME = ?")) {
            ps.setString(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
