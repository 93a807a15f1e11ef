package io.vidbatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** Tables and indexes made on first use, the same way on Derby and PostgreSQL. */
public final class Tables {

    private static final Logger LOG = Logger.getLogger(Tables.class.getName());

    private Tables() {}

    public static void createIfMissing(Connection c, String name, String ddl) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(ddl);
            LOG.info("created " + name);
        } catch (SQLException e) {
            // X0Y32 (Derby) and 42P07 (PostgreSQL): it exists already; 23505 (PostgreSQL): another
            // server made it at the same moment.
            if (!"X0Y32".equals(e.getSQLState())
                    && !"42P07".equals(e.getSQLState())
                    && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Reads one result row into a value. */
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Every row of a query with these arguments. */
    public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        return first(c, 0, sql, row, args);
    }

    /** The first {@code max} rows of a query (0: all), without reading the others. */
    public static <T> List<T> first(Connection c, int max, String sql, Row<T> row, Object... args) throws SQLException {
        List<T> out = new ArrayList<>();
        // In the statement, not only setMaxRows: the database then plans for the first rows (Derby
        // and PostgreSQL both take the standard FETCH FIRST) instead of sorting every match.
        try (PreparedStatement ps = c.prepareStatement(max > 0 ? sql + " FETCH FIRST " + max + " ROWS ONLY" : sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
        }
        return out;
    }

    /** One statement with these arguments (nulls typed as their column: PostgreSQL wants that). */
    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    // PostgreSQL wants a null of the column's own type.
                    ps.setNull(i + 1, ps.getParameterMetaData().getParameterType(i + 1));
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            return ps.executeUpdate();
        }
    }
}
