package io.vidbatch.store;

import io.vidbatch.media.Part;
import io.vidbatch.work.Finished;
import io.vidbatch.work.WorkItem;
import io.vidbatch.work.WorkJson;
import io.vidbatch.work.WorkResult;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The job's inputs and work items, in the batch datasource. Inside a chunk the connection joins
 * the chunk's transaction, so an item is marked done exactly when its chunk commits; readers
 * take their items from here, not from checkpoint positions, so what is done stays done.
 */
@ApplicationScoped
public class WorkStore {

    private static final Logger LOG = Logger.getLogger(WorkStore.class.getName());
    private static final int TEXT = 32000;
    /** The longest input entry (a path, a folder or a glob) a job may name. */
    public static final int MAX_ENTRY_CHARS = 4000;

    @Resource(lookup = "jdbc/vidbatch")
    DataSource dataSource;

    private final Jsonb json = JsonbBuilder.create();
    private volatile boolean schemaReady;

    /** An input of a job and what became of it. */
    public record InputRow(
            int input, String given, String source, InputState state, String reason, String output, String detail) {
        public InputRow withDetail(String json) {
            return new InputRow(input, given, source, state, reason, output, json);
        }
    }

    /** A work item with its latest state. */
    public record ItemRow(
            int item,
            int input,
            int partition,
            Part part,
            int segment,
            double seconds,
            ItemState state,
            WorkItem spec,
            WorkResult result,
            String reason,
            Long executionId,
            Timestamp updated) {}

    public Jsonb json() {
        return json;
    }

    /** Creates the tables when missing; safe to call from several threads and servers. */
    public void ensureSchema() throws SQLException {
        if (schemaReady) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            Tables.createIfMissing(
                    c,
                    "VB_JOB",
                    "CREATE TABLE VB_JOB (JOB_INSTANCE BIGINT NOT NULL PRIMARY KEY, " + "SETTINGS VARCHAR(" + TEXT
                            + ") NOT NULL)");
            Tables.createIfMissing(
                    c,
                    "VB_INPUT",
                    "CREATE TABLE VB_INPUT (JOB_INSTANCE BIGINT NOT NULL, INPUT_NO INT NOT NULL, "
                            + "GIVEN_PATH VARCHAR(4000) NOT NULL, SOURCE_PATH VARCHAR(4000), STATE VARCHAR(16) NOT NULL, REASON VARCHAR(4000), "
                            + "OUTPUT_PATH VARCHAR(4000), DETAIL VARCHAR(" + TEXT
                            + "), PRIMARY KEY (JOB_INSTANCE, INPUT_NO))");
            Tables.createIfMissing(
                    c,
                    "VB_ITEM",
                    "CREATE TABLE VB_ITEM (JOB_INSTANCE BIGINT NOT NULL, ITEM_NO INT NOT NULL, "
                            + "INPUT_NO INT NOT NULL, PARTITION_NO INT NOT NULL, PART VARCHAR(16) NOT NULL, SEGMENT_NO INT NOT NULL, "
                            + "MEDIA_SECONDS DOUBLE PRECISION NOT NULL, STATE VARCHAR(16) NOT NULL, SPEC VARCHAR("
                            + TEXT + ") NOT NULL, "
                            + "RESULT_JSON VARCHAR(" + TEXT
                            + "), REASON VARCHAR(4000), EXECUTION_ID BIGINT, UPDATED TIMESTAMP, "
                            + "PRIMARY KEY (JOB_INSTANCE, ITEM_NO))");
            // A job's input entries, when they came as a list (InputLists): one row per entry.
            Tables.createIfMissing(
                    c,
                    "VB_INPUT_LIST",
                    "CREATE TABLE VB_INPUT_LIST (LIST_ID CHAR(36) NOT NULL, POS INT NOT NULL, " + "ENTRY VARCHAR("
                            + MAX_ENTRY_CHARS + ") NOT NULL, PRIMARY KEY (LIST_ID, POS))");
            Tables.createIfMissing(
                    c,
                    "VB_ITEM_PARTITION",
                    "CREATE INDEX VB_ITEM_PARTITION ON VB_ITEM (JOB_INSTANCE, PARTITION_NO, STATE)");
            // An input's items by part: its whole-file item found without touching other rows.
            Tables.createIfMissing(
                    c, "VB_ITEM_INPUT", "CREATE INDEX VB_ITEM_INPUT ON VB_ITEM (JOB_INSTANCE, INPUT_NO, PART)");
        }
        schemaReady = true;
    }

    /**
     * Deletes what vidbatch keeps of a job, its settings, inputs and items: an earlier, unfinished
     * plan before planning runs again from scratch, or a job purged.
     */
    public void forget(long job) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            Tables.update(c, "DELETE FROM VB_ITEM WHERE JOB_INSTANCE = ?", job);
            Tables.update(c, "DELETE FROM VB_INPUT WHERE JOB_INSTANCE = ?", job);
            Tables.update(c, "DELETE FROM VB_JOB WHERE JOB_INSTANCE = ?", job);
        }
    }

    /** Every job vidbatch keeps rows of. */
    public List<Long> jobs() throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.query(c, "SELECT JOB_INSTANCE FROM VB_JOB ORDER BY JOB_INSTANCE", rs -> rs.getLong(1));
        }
    }

    /** An input's output as planned (a file, or a ladder's folder), and whether it was made. */
    public record PlannedOutput(Path path, boolean done) {}

    /** The outputs a job's inputs were given. */
    public List<PlannedOutput> outputs(long job) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.query(
                    c,
                    "SELECT OUTPUT_PATH, STATE FROM VB_INPUT WHERE JOB_INSTANCE = ? AND OUTPUT_PATH IS NOT NULL",
                    rs -> new PlannedOutput(
                            Path.of(rs.getString(1)), InputState.DONE.name().equals(rs.getString(2))),
                    job);
        }
    }

    public void insertSettings(long job, JobSettings settings) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Tables.update(c, "INSERT INTO VB_JOB (JOB_INSTANCE, SETTINGS) VALUES (?, ?)", job, json.toJson(settings));
        }
    }

    /** The settings the job was planned with, or null when it has not been planned. */
    public JobSettings settings(long job) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT SETTINGS FROM VB_JOB WHERE JOB_INSTANCE = ?")) {
            ps.setLong(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? json.fromJson(rs.getString(1), JobSettings.class) : null;
            }
        }
    }

    /** An input, its work items and its standby item (null when it has none), on one connection. */
    /** What of this input would not fit its columns, or null: paths over 4,000 characters, records over 32,000. */
    public static String unfit(InputRow r, List<WorkItem> items) {
        if (r.source() != null && r.source().length() > 4000
                || r.output() != null && r.output().length() > 4000) {
            return "its path is longer than 4,000 characters";
        }
        if (r.detail() != null && r.detail().length() > TEXT
                || items.stream().anyMatch(i -> WorkJson.write(i).length() > TEXT)) {
            return "its streams, tags and chapters are more than a record holds (" + TEXT + " characters)";
        }
        return null;
    }

    public void insertPlanned(long job, InputRow r, List<WorkItem> items, WorkItem standby) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            Tables.update(
                    c,
                    "INSERT INTO VB_INPUT (JOB_INSTANCE, INPUT_NO, GIVEN_PATH, SOURCE_PATH, STATE, REASON, OUTPUT_PATH, DETAIL) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    job,
                    r.input(),
                    cut(r.given(), 4000),
                    r.source(),
                    r.state().name(),
                    cut(r.reason(), 4000),
                    r.output(),
                    r.detail());
            for (WorkItem spec : items) {
                insertItem(c, job, spec, ItemState.PENDING);
            }
            if (standby != null) {
                insertItem(c, job, standby, ItemState.STANDBY);
            }
        }
    }

    private static void insertItem(Connection c, long job, WorkItem spec, ItemState state) throws SQLException {
        Tables.update(
                c,
                "INSERT INTO VB_ITEM (JOB_INSTANCE, ITEM_NO, INPUT_NO, PARTITION_NO, PART, SEGMENT_NO, MEDIA_SECONDS, "
                        + "STATE, SPEC, UPDATED) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
                job,
                spec.item(),
                spec.input(),
                spec.part().name(),
                spec.segment(),
                spec.seconds(),
                state.name(),
                WorkJson.write(spec),
                now());
    }

    /**
     * Sends an input over to its whole-file item, on the caller's transaction (the chunk's): the
     * standby item becomes pending on {@code partition}. Only the first call for an input changes
     * anything, however many of its segments fail at once on different partitions. The row is
     * reached through an index, never by a scan over other partitions' rows: two chunks doing this
     * at once deadlocked on Derby when they scanned. The input's pieces not yet run are left out when
     * the step's partitions are planned ({@link #NOT_SENT_WHOLE}) and marked by {@link #supersede}.
     *
     * @return whether this call sent it over
     */
    public boolean encodeWhole(long job, int input, int partition) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // One statement, through the index on (job, input, part): a read first would hold a
            // shared lock that two chunks then both wait to upgrade.
            return Tables.update(
                            c,
                            "UPDATE VB_ITEM SET STATE = ?, PARTITION_NO = ?, UPDATED = ? WHERE JOB_INSTANCE = ? AND INPUT_NO = ? "
                                    + "AND PART = ? AND STATE = ?",
                            ItemState.PENDING.name(),
                            partition,
                            now(),
                            job,
                            input,
                            Part.WHOLE.name(),
                            ItemState.STANDBY.name())
                    == 1;
        }
    }

    /**
     * Leaves out the pieces of an input that was sent over to its whole-file item (a condition on
     * {@code I}, a row of VB_ITEM): until {@link #supersede} marks them, they are still pending.
     * Only for reads outside a chunk (the mapper's): a chunk that read the whole-file row would
     * hold a shared lock on it until it commits, and two chunks sending the input whole at once
     * would then deadlock. A partition that already holds such a piece runs it; its result is
     * never used.
     */
    static final String NOT_SENT_WHOLE = " AND (I.PART = 'WHOLE' OR NOT EXISTS (SELECT 1 FROM VB_ITEM W WHERE "
            + "W.JOB_INSTANCE = I.JOB_INSTANCE AND W.INPUT_NO = I.INPUT_NO AND W.PART = 'WHOLE' AND W.STATE <> '"
            + ItemState.STANDBY + "'))";

    /** Marks the pieces of an input sent over to its whole-file item that were never run; by the assemble step. */
    public void supersede(long job, int input) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Tables.update(
                    c,
                    "UPDATE VB_ITEM SET STATE = ?, UPDATED = ? WHERE JOB_INSTANCE = ? AND INPUT_NO = ? AND STATE = ? AND PART <> ?",
                    ItemState.SUPERSEDED.name(),
                    now(),
                    job,
                    input,
                    ItemState.PENDING.name(),
                    Part.WHOLE.name());
        }
    }

    /** A queued item once its input is examined: its full spec and media seconds; on the caller's transaction. */
    public void updateItem(long job, WorkItem spec) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Tables.update(
                    c,
                    "UPDATE VB_ITEM SET SPEC = ?, MEDIA_SECONDS = ?, UPDATED = ? WHERE JOB_INSTANCE = ? AND ITEM_NO = ?",
                    WorkJson.write(spec),
                    spec.seconds(),
                    now(),
                    job,
                    spec.item());
        }
    }

    /** A queued item whose input the examination rejected: a rejected input has no items. */
    public void deleteItem(long job, int item) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Tables.update(c, "DELETE FROM VB_ITEM WHERE JOB_INSTANCE = ? AND ITEM_NO = ?", job, item);
        }
    }

    public void updateInput(long job, int input, InputState state, String reason, String detail) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Tables.update(
                    c,
                    "UPDATE VB_INPUT SET STATE = ?, REASON = ?, DETAIL = ? WHERE JOB_INSTANCE = ? AND INPUT_NO = ?",
                    state.name(),
                    cut(reason, 4000),
                    detail,
                    job,
                    input);
        }
    }

    /** A pending item and its media seconds: what the mapper balances partitions on. */
    public record Pending(int item, double seconds) {}

    /** Pending items of a job, longest first. */
    public List<Pending> pending(long job) throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT I.ITEM_NO, I.MEDIA_SECONDS FROM VB_ITEM I WHERE I.JOB_INSTANCE = ? "
                                + "AND I.STATE = ?" + NOT_SENT_WHOLE + " ORDER BY I.MEDIA_SECONDS DESC, I.ITEM_NO")) {
            ps.setLong(1, job);
            ps.setString(2, ItemState.PENDING.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getInt(1), rs.getDouble(2)));
                }
            }
        }
        return out;
    }

    public void assignPartitions(long job, Map<Integer, Integer> partitionOfItem) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE VB_ITEM SET PARTITION_NO = ? WHERE JOB_INSTANCE = ? AND ITEM_NO = ?")) {
            for (Map.Entry<Integer, Integer> e : partitionOfItem.entrySet()) {
                ps.setInt(1, e.getValue());
                ps.setLong(2, job);
                ps.setInt(3, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The items a partition still has to do, longest first. */
    public List<WorkItem> pendingItems(long job, int partition) throws SQLException {
        List<WorkItem> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT SPEC FROM VB_ITEM WHERE JOB_INSTANCE = ? AND PARTITION_NO = ? "
                                + "AND STATE = ? ORDER BY MEDIA_SECONDS DESC, ITEM_NO")) {
            ps.setLong(1, job);
            ps.setInt(2, partition);
            ps.setString(3, ItemState.PENDING.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(WorkJson.readItem(rs.getString(1)));
                }
            }
        }
        return out;
    }

    /**
     * Records finished items, done or failed, in one batch on the caller's transaction (the
     * chunk's); only a pending item changes, so a replayed write is harmless.
     */
    public void record(long job, List<Finished> items, long execution) throws SQLException {
        Timestamp now = now();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE VB_ITEM SET STATE = ?, RESULT_JSON = ?, REASON = ?, "
                        + "EXECUTION_ID = ?, UPDATED = ? WHERE JOB_INSTANCE = ? AND ITEM_NO = ? AND STATE = ?")) {
            // PostgreSQL wants a null of the column's own type.
            int resultType = ps.getParameterMetaData().getParameterType(2);
            int reasonType = ps.getParameterMetaData().getParameterType(3);
            for (Finished f : items) {
                boolean done = f.outcome().done();
                ps.setString(1, (done ? ItemState.DONE : ItemState.FAILED).name());
                if (done) {
                    ps.setString(2, WorkJson.write(f.outcome().result()));
                    ps.setNull(3, reasonType);
                } else {
                    ps.setNull(2, resultType);
                    ps.setString(3, cut(f.outcome().message(), 4000));
                }
                ps.setLong(4, execution);
                ps.setTimestamp(5, now);
                ps.setLong(6, job);
                ps.setInt(7, f.item().item());
                ps.setString(8, ItemState.PENDING.name());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<InputRow> inputs(long job) throws SQLException {
        ensureSchema();
        List<InputRow> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT INPUT_NO, GIVEN_PATH, SOURCE_PATH, STATE, REASON, OUTPUT_PATH, DETAIL "
                                + "FROM VB_INPUT WHERE JOB_INSTANCE = ? ORDER BY INPUT_NO")) {
            ps.setLong(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new InputRow(
                            rs.getInt(1),
                            rs.getString(2),
                            rs.getString(3),
                            InputState.valueOf(rs.getString(4)),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7)));
                }
            }
        }
        return out;
    }

    private static final String ITEM_COLUMNS =
            "SELECT ITEM_NO, INPUT_NO, PARTITION_NO, PART, SEGMENT_NO, MEDIA_SECONDS, "
                    + "STATE, SPEC, RESULT_JSON, REASON, EXECUTION_ID, UPDATED FROM VB_ITEM WHERE JOB_INSTANCE = ?";

    public List<ItemRow> items(long job) throws SQLException {
        return itemRows(ITEM_COLUMNS + " ORDER BY ITEM_NO", job);
    }

    public Optional<ItemRow> item(long job, int item) throws SQLException {
        return itemRows(ITEM_COLUMNS + " AND ITEM_NO = ?", job, item).stream().findFirst();
    }

    private List<ItemRow> itemRows(String sql, Object... args) throws SQLException {
        ensureSchema();
        try (Connection c = dataSource.getConnection()) {
            return Tables.query(
                    c,
                    sql,
                    rs -> {
                        String result = rs.getString(9);
                        long exec = rs.getLong(11);
                        Long execution = rs.wasNull() ? null : exec;
                        return new ItemRow(
                                rs.getInt(1),
                                rs.getInt(2),
                                rs.getInt(3),
                                Part.valueOf(rs.getString(4)),
                                rs.getInt(5),
                                rs.getDouble(6),
                                ItemState.valueOf(rs.getString(7)),
                                WorkJson.readItem(rs.getString(8)),
                                result == null ? null : WorkJson.readResult(result),
                                rs.getString(10),
                                execution,
                                rs.getTimestamp(12));
                    },
                    args);
        }
    }

    /** How far a job got, counted in the database without reading any item's JSON. */
    /** @param unexamined items of inputs queued unexamined: their media seconds are not known yet */
    public record Counts(int items, int done, int failed, double seconds, double finishedSeconds, int unexamined) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);
    }

    /** Counts for several jobs at once: what a job list needs, in one query. */
    public Map<Long, Counts> counts(List<Long> jobs) throws SQLException {
        ensureSchema();
        Map<Long, int[]> n = new HashMap<>();
        Map<Long, double[]> secs = new HashMap<>();
        if (jobs.isEmpty()) {
            return Map.of();
        }
        String in = String.join(",", Collections.nCopies(jobs.size(), "?"));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT JOB_INSTANCE, STATE, COUNT(*), SUM(MEDIA_SECONDS), "
                        + "SUM(CASE WHEN MEDIA_SECONDS <= 0 THEN 1 ELSE 0 END) FROM VB_ITEM "
                        + "WHERE JOB_INSTANCE IN (" + in + ") AND STATE NOT IN ('" + ItemState.STANDBY + "', '"
                        + ItemState.SUPERSEDED + "') "
                        + "GROUP BY JOB_INSTANCE, STATE")) {
            for (int i = 0; i < jobs.size(); i++) {
                ps.setLong(i + 1, jobs.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long job = rs.getLong(1);
                    ItemState state = ItemState.valueOf(rs.getString(2));
                    int count = rs.getInt(3);
                    double seconds = rs.getDouble(4);
                    int[] k = n.computeIfAbsent(job, x -> new int[4]);
                    double[] d = secs.computeIfAbsent(job, x -> new double[2]);
                    k[0] += count;
                    k[3] += rs.getInt(5);
                    d[0] += seconds;
                    if (state == ItemState.DONE) {
                        k[1] += count;
                        d[1] += seconds;
                    } else if (state == ItemState.FAILED) {
                        k[2] += count;
                        d[1] += seconds;
                    }
                }
            }
        }
        Map<Long, Counts> out = new HashMap<>();
        n.forEach((job, k) -> out.put(job, new Counts(k[0], k[1], k[2], secs.get(job)[0], secs.get(job)[1], k[3])));
        return out;
    }

    /** True when the datasource answers; for the readiness check. */
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static Timestamp now() {
        return new Timestamp(System.currentTimeMillis());
    }

    public static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
