package io.vidbatch.store;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Adds the one index Liberty's job repository lacks, once, when a job is planned (Liberty makes
 * its tables at first use); why and how: docs/decisions/002-index-the-job-repository.md.
 */
@ApplicationScoped
public class RepositoryIndex {

    private static final Logger LOG = Logger.getLogger(RepositoryIndex.class.getName());
    /** The default table prefix, WLP, as in server.xml's databaseStore, which sets no other. */
    private static final String TABLE = "WLPSTEPTHREADEXECUTION";

    private static final String COLUMN = "FK_TOPLVL_STEPEXECID";
    private static final String DDL = "CREATE INDEX WLP_STEPEXEC_TOPLVL ON " + TABLE + " (" + COLUMN + ")";

    @Resource(lookup = "jdbc/vidbatch")
    DataSource dataSource;

    private boolean done;

    public synchronized void ensure() {
        if (done) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            if (!indexed(c.getMetaData(), c.getSchema())) {
                Tables.createIfMissing(c, "index WLP_STEPEXEC_TOPLVL of the job repository", DDL);
            }
        } catch (SQLException e) {
            // Only speed is at stake: say so once and run the job.
            LOG.warning("cannot add index WLP_STEPEXEC_TOPLVL to the job repository: " + e.getMessage());
        }
        done = true;
    }

    /** True when some index of the table starts with the top-level step execution column. */
    private static boolean indexed(DatabaseMetaData md, String schema) throws SQLException {
        String table = md.storesLowerCaseIdentifiers() ? TABLE.toLowerCase(Locale.ROOT) : TABLE;
        try (ResultSet rs = md.getIndexInfo(null, schema, table, false, true)) {
            while (rs.next()) {
                if (rs.getShort("ORDINAL_POSITION") == 1 && COLUMN.equalsIgnoreCase(rs.getString("COLUMN_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
