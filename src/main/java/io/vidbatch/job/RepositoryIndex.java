package io.vidbatch.job;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * Adds the one index Liberty's job repository lacks. At every partition's start and end Liberty
 * reads all step executions of the partitioned step by their top-level step execution, and
 * WLPSTEPTHREADEXECUTION has no index on that column: each read scans every step execution ever
 * recorded, so dispatch slows as the repository grows (bench/dispatch.sh, see README). Liberty
 * creates its tables at first use, so this runs when a job is planned, not at server start.
 */
@ApplicationScoped
public class RepositoryIndex {

    private static final Logger LOG = Logger.getLogger(RepositoryIndex.class.getName());
    /** The default table prefix, WLP, as in server.xml's databaseStore, which sets no other. */
    private static final String DDL = "CREATE INDEX WLP_STEPEXEC_TOPLVL ON WLPSTEPTHREADEXECUTION (FK_TOPLVL_STEPEXECID)";

    @Resource(lookup = "jdbc/vidbatch")
    DataSource dataSource;

    private volatile boolean done;

    void ensure() {
        if (done) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            WorkStore.createIfMissing(c, "index WLP_STEPEXEC_TOPLVL of the job repository", DDL);
        } catch (SQLException e) {
            // Only speed is at stake: say so once and run the job.
            LOG.warning("cannot add index WLP_STEPEXEC_TOPLVL to the job repository: " + e.getMessage());
        }
        done = true;
    }
}
