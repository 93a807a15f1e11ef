package io.vidbatch.job;

import io.vidbatch.store.Tables;
import io.vidbatch.store.WorkStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * A job's input entries, kept in our own table: Liberty's job repository holds each job
 * parameter in 255 characters, so a list that grows with the user's data travels as a
 * reference ({@link TranscodeParameters#INPUT_LIST}). Lists are kept with their job, so a
 * restart plans from the same entries.
 */
@ApplicationScoped
public class InputLists {

    /** Rows per insert batch: large enough to be quick, small enough for any driver's limits. */
    private static final int BATCH = 500;

    @Resource(lookup = "jdbc/vidbatch")
    DataSource dataSource;

    @Inject
    WorkStore store;

    /**
     * Stores the entries and returns the job parameters that name them. The reference is random,
     * so a list cannot be guessed; naming one gives no more than typing its entries would.
     */
    public Properties attach(Properties params, List<String> entries) throws SQLException {
        String id = UUID.randomUUID().toString();
        store.ensureSchema();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("INSERT INTO VB_INPUT_LIST (LIST_ID, POS, ENTRY) VALUES (?, ?, ?)")) {
            c.setAutoCommit(false);
            try {
                for (int i = 0; i < entries.size(); i++) {
                    ps.setString(1, id);
                    ps.setInt(2, i);
                    ps.setString(3, entries.get(i));
                    ps.addBatch();
                    if ((i + 1) % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        Properties out = new Properties();
        out.putAll(params);
        out.remove(TranscodeParameters.INPUTS);
        out.setProperty(TranscodeParameters.INPUT_LIST, id);
        return out;
    }

    /** Deletes a list (its job is purged). */
    public void delete(String id) throws SQLException {
        store.ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            Tables.update(c, "DELETE FROM VB_INPUT_LIST WHERE LIST_ID = ?", id);
        }
    }

    /** The entries of a list in their order; empty when there is no such list. */
    public Optional<List<String>> entries(String id) throws SQLException {
        store.ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            List<String> entries = Tables.query(
                    c, "SELECT ENTRY FROM VB_INPUT_LIST WHERE LIST_ID = ? ORDER BY POS", rs -> rs.getString(1), id);
            return entries.isEmpty() ? Optional.empty() : Optional.of(entries);
        }
    }
}
