package io.vidbatch.store;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds job instances for the job list: by state, submitter, creation time and input name, newest
 * first, a page at a time (keyset: ids below the last one seen, so a page costs the same at job
 * 10 as at job 100,000). Reads Liberty's job instance table (the default prefix WLP, as
 * {@link RepositoryIndex} does) beside our own inputs: Liberty's JobOperator lists a job's
 * instances by position only, with no filter.
 */
@ApplicationScoped
public class JobSearch {

    /** The states a user filters by; partial is a completed job some of whose inputs failed. */
    public enum State {
        RUNNING("J.BATCHSTATUS IN (0, 1, 2)"), // STARTING, STARTED, STOPPING
        COMPLETED("J.BATCHSTATUS = 5 AND (J.EXITSTATUS IS NULL OR J.EXITSTATUS NOT LIKE 'PARTIAL%')"),
        PARTIAL("J.BATCHSTATUS = 5 AND J.EXITSTATUS LIKE 'PARTIAL%'"),
        FAILED("J.BATCHSTATUS = 4"),
        STOPPED("J.BATCHSTATUS IN (3, 6)"); // STOPPED, ABANDONED

        private final String sql;

        State(String sql) {
            this.sql = sql;
        }
    }

    /**
     * @param submitter only this submitter's jobs (null: anyone's)
     * @param states    any of these (empty: all)
     * @param from      created at or after (null: any time)
     * @param to        created before (null: any time)
     * @param text      a part of an input's name as given or as found, any case (null: any)
     * @param before    ids below this one: the next page after a page ending there (null: the newest)
     */
    public record Query(
            String jobName,
            String submitter,
            Set<State> states,
            Instant from,
            Instant to,
            String text,
            Long before,
            int limit) {}

    @Resource(lookup = "jdbc/vidbatch")
    DataSource dataSource;

    /** Ids of the jobs that match, newest first, at most {@code limit}. */
    public List<Long> ids(Query q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT J.JOBINSTANCEID FROM WLPJOBINSTANCE J WHERE J.JOBNAME = ?");
        List<Object> args = new ArrayList<>(List.of(q.jobName()));
        if (q.submitter() != null) {
            sql.append(" AND J.SUBMITTER = ?");
            args.add(q.submitter());
        }
        if (!q.states().isEmpty()) {
            sql.append(" AND (")
                    .append(String.join(
                            " OR ",
                            q.states().stream().map(s -> "(" + s.sql + ")").toList()))
                    .append(")");
        }
        if (q.from() != null) {
            sql.append(" AND J.CREATETIME >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND J.CREATETIME < ?");
            args.add(Timestamp.from(q.to()));
        }
        if (q.text() != null && !q.text().isBlank()) {
            sql.append(" AND EXISTS (SELECT 1 FROM VB_INPUT I WHERE I.JOB_INSTANCE = J.JOBINSTANCEID"
                    + " AND (LOWER(I.GIVEN_PATH) LIKE ? ESCAPE '\\' OR LOWER(I.SOURCE_PATH) LIKE ? ESCAPE '\\'))");
            String like = "%" + escapeLike(q.text().strip().toLowerCase(Locale.ROOT)) + "%";
            args.add(like);
            args.add(like);
        }
        if (q.before() != null) {
            sql.append(" AND J.JOBINSTANCEID < ?");
            args.add(q.before());
        }
        sql.append(" ORDER BY J.JOBINSTANCEID DESC");
        try (Connection c = dataSource.getConnection()) {
            return Tables.first(c, q.limit(), sql.toString(), rs -> rs.getLong(1), args.toArray());
        } catch (SQLException e) {
            // Liberty makes its tables with the first job: before it, there is nothing to find.
            if ("42X05".equals(e.getSQLState()) || "42P01".equals(e.getSQLState())) {
                return List.of();
            }
            throw e;
        }
    }

    /** Who submitted the job, as Liberty recorded it; null when it is not known (yet). */
    public String submitter(long job) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Tables.query(
                            c,
                            "SELECT SUBMITTER FROM WLPJOBINSTANCE WHERE JOBINSTANCEID = ?",
                            rs -> rs.getString(1),
                            job)
                    .stream()
                    .findFirst()
                    .orElse(null);
        }
    }

    /** The text taken literally: % and _ match themselves, not any characters. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
