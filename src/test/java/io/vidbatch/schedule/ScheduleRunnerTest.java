package io.vidbatch.schedule;

import io.vidbatch.config.Roots;
import io.vidbatch.config.Settings;
import io.vidbatch.job.InputLists;
import io.vidbatch.job.InputListsTestAccess;
import io.vidbatch.job.TranscodeJob;
import io.vidbatch.job.TranscodeParameters;
import io.vidbatch.notify.NotifierTestAccess;
import io.vidbatch.notify.WebhookStore;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobStartException;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a firing of a schedule does, as its run history and the started job's inputs show it:
 * over a real (in-memory Derby) database and a scripted JobOperator instead of Liberty's.
 */
class ScheduleRunnerTest {

    private static final String CRON = "0 2 * * *";

    @TempDir
    Path tmp;

    private Path inputRoot;
    private EmbeddedDataSource dataSource;
    private WebhookStore webhooks;
    private ScheduleStore store;
    private InputLists lists;
    private FakeJobs jobs;
    private ScheduleRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        inputRoot = Files.createDirectories(tmp.toRealPath().resolve("in"));
        Path outputRoot = Files.createDirectories(tmp.toRealPath().resolve("out"));

        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:sched-" + UUID.randomUUID());
        dataSource.setCreateDatabase("create");
        store = new ScheduleStore();
        store.dataSource = dataSource;
        lists = InputListsTestAccess.over(dataSource);
        jobs = new FakeJobs();

        runner = new ScheduleRunner();
        runner.store = store;
        runner.lists = lists;
        webhooks = NotifierTestAccess.store(dataSource);
        runner.notifier = NotifierTestAccess.over(webhooks);
        runner.settings = new TestSettings(new Roots(List.of(inputRoot), outputRoot));
        runner.jobsExecutor = acceptingExecutor();
        runner.operators = jobs::operator;
    }

    @AfterEach
    void dropDatabase() {
        dataSource.setCreateDatabase(null);
        dataSource.setConnectionAttributes("drop=true");
        try {
            dataSource.getConnection().close();
        } catch (SQLException dropped) {
            // Derby answers a successful drop with an exception (SQL state 08006)
        }
    }

    // --- enabled or not ---

    @Test
    void aDisabledScheduleFiredByItsCronRecordsNothingButRunsWhenAskedFor() throws Exception {
        Files.write(inputRoot.resolve("a.mp4"), new byte[10]);
        save(schedule("nightly", "{\"inputs\": [\"a.mp4\"]}", false, false));

        assertThat(runner.fire("nightly", null)).isNull();
        assertThat(store.runs("nightly", 20)).isEmpty();
        assertThat(jobs.started).isEmpty();

        ScheduleStore.Run asked = runner.fire("nightly", "asked by ops");
        assertThat(asked).as("fired by hand").isNotNull();
        assertThat(asked.outcome()).isEqualTo("STARTED");
        assertThat(asked.message()).isEqualTo("asked by ops");
        assertThat(jobs.started).hasSize(1);
        assertThat(store.runs("nightly", 20)).containsExactly(asked);
    }

    @Test
    void aDeletedScheduleRecordsNothing() throws Exception {
        assertThat(runner.fire("gone", null)).isNull();
        assertThat(runner.fire("gone", "asked by ops")).isNull();
        assertThat(jobs.started).isEmpty();
    }

    // --- one job at a time ---

    @Test
    void aFiringWhileThePreviousRunsJobStillRunsIsSkipped() throws Exception {
        Files.write(inputRoot.resolve("a.mp4"), new byte[10]);
        save(schedule("nightly", "{\"inputs\": [\"a.mp4\"]}", false, true));
        long first = runner.fire("nightly", null).jobInstance();

        ScheduleStore.Run skipped = runner.fire("nightly", null);
        assertThat(skipped.outcome()).isEqualTo("SKIPPED");
        assertThat(skipped.jobInstance()).isNull();
        assertThat(skipped.message()).isEqualTo("job " + first + " of the previous run is still running");
        assertThat(jobs.started).hasSize(1);
        assertThat(store.runs("nightly", 1)).containsExactly(skipped);

        jobs.ended(first, BatchStatus.COMPLETED);
        ScheduleStore.Run next = runner.fire("nightly", null);
        assertThat(next.outcome()).as("once that job ended").isEqualTo("STARTED");
        assertThat(jobs.started).hasSize(2);
    }

    // --- a plain schedule ---

    @Test
    void aPlainScheduleStartsItsJobWithItsParameters() throws Exception {
        Files.createDirectories(inputRoot.resolve("clips"));
        Files.write(inputRoot.resolve("clips/a.mp4"), new byte[10]);
        save(schedule(
                "nightly",
                "{\"inputs\": [\"clips/a.mp4\", \"clips/b.mp4\"], \"preset\": \"h264-1080p\", \"outputDir\": \"nightly\","
                        + " \"workers\": 3}",
                false,
                true));

        ScheduleStore.Run run = runner.fire("nightly", null);

        assertThat(jobs.started).hasSize(1);
        FakeJobs.Started job = jobs.started.get(0);
        assertThat(run.outcome()).isEqualTo("STARTED");
        assertThat(run.jobInstance()).isEqualTo(job.instance());
        assertThat(run.message()).isNull();
        assertThat(store.runs("nightly", 20)).containsExactly(run);
        assertThat(job.params())
                .containsEntry(TranscodeParameters.PRESET, "h264-1080p")
                .containsEntry(TranscodeParameters.OUTPUT_DIR, "nightly")
                .containsEntry(TranscodeParameters.WORKERS, "3")
                .doesNotContainKey(TranscodeParameters.INPUTS);
        assertThat(inputsOf(job)).containsExactly("clips/a.mp4", "clips/b.mp4");
    }

    // --- a watched folder ---

    @Test
    void aWatchScheduleTakesEachNewFileOnce() throws Exception {
        Path inbox = Files.createDirectories(inputRoot.resolve("inbox"));
        Path a = Files.write(inbox.resolve("a.mp4"), new byte[10]);
        Path b = Files.write(inbox.resolve("b.mp4"), new byte[20]);
        save(schedule("inbox", "{\"inputs\": [\"inbox\"]}", true, true));

        ScheduleStore.Run first = runner.fire("inbox", null);
        assertThat(first.outcome()).isEqualTo("STARTED");
        assertThat(first.message()).isEqualTo("2 new file(s)");
        assertThat(jobs.started).hasSize(1);
        assertThat(first.jobInstance()).isEqualTo(jobs.started.get(0).instance());
        assertThat(inputsOf(jobs.started.get(0))).containsExactlyInAnyOrder(a.toString(), b.toString());
        assertThat(store.taken("inbox")).containsExactlyInAnyOrder(a.toString(), b.toString());
        jobs.ended(first.jobInstance(), BatchStatus.COMPLETED);

        ScheduleStore.Run nothing = runner.fire("inbox", null);
        assertThat(nothing.outcome()).isEqualTo("SKIPPED");
        assertThat(nothing.message()).isEqualTo("nothing new in [inbox]");
        assertThat(jobs.started).hasSize(1);

        Path c = Files.write(inbox.resolve("c.mp4"), new byte[30]);
        ScheduleStore.Run third = runner.fire("inbox", null);
        assertThat(third.outcome()).isEqualTo("STARTED");
        assertThat(third.message()).isEqualTo("1 new file(s)");
        assertThat(jobs.started).hasSize(2);
        assertThat(inputsOf(jobs.started.get(1))).containsExactly(c.toString());
        assertThat(store.runs("inbox", 20)).containsExactly(third, nothing, first);
    }

    @Test
    void filesReservedForAJobThatCouldNotStartAreTakenByALaterRun() throws Exception {
        Path inbox = Files.createDirectories(inputRoot.resolve("inbox"));
        Path a = Files.write(inbox.resolve("a.mp4"), new byte[10]);
        Path b = Files.write(inbox.resolve("b.mp4"), new byte[20]);
        save(schedule("inbox", "{\"inputs\": [\"inbox\"]}", true, true));
        jobs.startFails = new JobStartException("the job repository is gone");

        ScheduleStore.Run failed = runner.fire("inbox", null);
        assertThat(failed.outcome()).isEqualTo("FAILED");
        assertThat(failed.jobInstance()).isNull();
        assertThat(failed.message()).contains("JobStartException", "the job repository is gone");
        assertThat(store.runs("inbox", 20)).containsExactly(failed);
        assertThat(store.taken("inbox")).as("released").isEmpty();

        jobs.startFails = null;
        ScheduleStore.Run later = runner.fire("inbox", null);
        assertThat(later.outcome()).isEqualTo("STARTED");
        assertThat(jobs.started).hasSize(1);
        assertThat(inputsOf(jobs.started.get(0))).containsExactlyInAnyOrder(a.toString(), b.toString());
    }

    @Test
    void aWatchedFolderThatIsGoneFailsTheRunInsteadOfFindingNothingNew() throws Exception {
        Path inbox = Files.createDirectories(inputRoot.resolve("inbox"));
        save(schedule("inbox", "{\"inputs\": [\"inbox\"]}", true, true));
        assertThat(runner.fire("inbox", null).outcome())
                .as("empty: nothing new")
                .isEqualTo("SKIPPED");

        Files.delete(inbox); // an unmounted share looks like this

        ScheduleStore.Run run = runner.fire("inbox", null);
        assertThat(run.outcome()).isEqualTo("FAILED");
        assertThat(run.message()).isEqualTo("cannot watch inbox: not found");
        assertThat(jobs.started).isEmpty();
    }

    // --- a job that no longer holds ---

    @Test
    void aScheduleWhoseJobNoLongerValidatesFailsAndStartsNothing() throws Exception {
        Files.write(inputRoot.resolve("a.mp4"), new byte[10]);
        // Checked when it was stored; since then the output root moved (or a preset went away).
        save(schedule("nightly", "{\"inputs\": [\"a.mp4\"], \"outputDir\": \"../elsewhere\"}", false, true));

        ScheduleStore.Run run = runner.fire("nightly", null);

        assertThat(run.outcome()).isEqualTo("FAILED");
        assertThat(run.message())
                .isEqualTo("the job's parameters no longer hold: invalid job parameters: "
                        + "outputDir: '../elsewhere' is outside the output root");
        assertThat(store.runs("nightly", 20)).containsExactly(run);
        assertThat(jobs.started).isEmpty();
    }

    // --- firings missed while the server was down ---

    @Test
    void aFiringMissedWithinItsGraceRunsAtStartUp() throws Exception {
        Instant up = Instant.now();
        Instant due = up.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        Files.write(inputRoot.resolve("a.mp4"), new byte[10]);
        saveNightly(due, Duration.ofHours(2), up);

        runner.catchUp("nightly", up);

        assertThat(jobs.started).hasSize(1);
        assertThat(store.runs("nightly", 20)).singleElement().satisfies(run -> {
            assertThat(run.outcome()).isEqualTo("STARTED");
            assertThat(run.jobInstance()).isEqualTo(jobs.started.get(0).instance());
            assertThat(run.message())
                    .isEqualTo("the firing due at " + due + " fell while the server was down; run at start-up,"
                            + " within the grace of 7200 s");
        });
    }

    @Test
    void aFiringMissedBeyondItsGraceIsRecordedAsMissedAtItsDueTime() throws Exception {
        Instant up = Instant.now();
        Instant due = up.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        saveNightly(due, Duration.ofMinutes(30), up);

        runner.catchUp("nightly", up);

        assertThat(jobs.started).isEmpty();
        assertThat(store.runs("nightly", 20)).singleElement().satisfies(run -> {
            assertThat(run.outcome()).isEqualTo("MISSED");
            assertThat(run.firedAt()).isEqualTo(due);
            assertThat(run.jobInstance()).isNull();
            assertThat(run.message())
                    .startsWith("the firing due at " + due + " fell while the server was down; the last was ")
                    .endsWith(" s late at start-up, beyond the grace of 1800 s");
        });
    }

    @Test
    void nothingIsOwedForAFiringThatRanBeforeTheServerWentDown() throws Exception {
        Instant up = Instant.now();
        Instant due = up.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        saveNightly(due, Duration.ofHours(2), up);
        ScheduleStore.Run ran = new ScheduleStore.Run(due, "STARTED", 7L, null);
        store.recordRun("nightly", ran);

        runner.catchUp("nightly", up);

        assertThat(jobs.started).isEmpty();
        assertThat(store.runs("nightly", 20)).containsExactly(ran);
    }

    // --- helpers ---

    private static Schedule schedule(String name, String job, boolean watch, boolean enabled) {
        return new Schedule(
                name,
                CRON,
                ZoneOffset.UTC,
                job,
                watch,
                enabled,
                Duration.ofHours(1),
                Instant.now().minusSeconds(60));
    }

    /** A daily cron at the minute of {@code at} (UTC). */
    private static String dailyAt(Instant at) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        return t.getMinute() + " " + t.getHour() + " * * *";
    }

    private void save(Schedule s) throws SQLException {
        store.put(s);
    }

    /** The inputs the started job was given, through its input list. */
    private List<String> inputsOf(FakeJobs.Started job) throws SQLException {
        return lists.entries(job.params().getProperty(TranscodeParameters.INPUT_LIST))
                .orElseThrow();
    }

    /** Liberty's executors take tasks while the server runs: the runner is not stopping. */
    private static ManagedExecutorService acceptingExecutor() {
        return (ManagedExecutorService) Proxy.newProxyInstance(
                ScheduleRunnerTest.class.getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "submit" -> CompletableFuture.completedFuture(null);
                    case "toString" -> "accepting executor";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static final class TestSettings extends Settings {
        private final Roots roots;

        TestSettings(Roots roots) {
            this.roots = roots;
        }

        @Override
        public Roots roots() {
            return roots;
        }

        @Override
        public int maxWorkers() {
            return 4;
        }
    }

    /**
     * A JobOperator as the runner uses it: starts record their parameters and give ids; a started
     * job stays STARTED until the test ends it. Any other call fails the test.
     */
    private static final class FakeJobs {

        record Started(long instance, long execution, Properties params) {}

        final List<Started> started = new ArrayList<>();
        private final Map<Long, Long> instanceOfExecution = new HashMap<>();
        private final Map<Long, BatchStatus> statusOfInstance = new HashMap<>();
        /** Thrown by the next starts when set. */
        RuntimeException startFails;

        void ended(long instance, BatchStatus status) {
            statusOfInstance.put(instance, status);
        }

        JobOperator operator() {
            return (JobOperator) Proxy.newProxyInstance(
                    ScheduleRunnerTest.class.getClassLoader(),
                    new Class<?>[] {JobOperator.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "start" -> start((String) args[0], (Properties) args[1]);
                        case "getJobInstance" -> TranscodeJob.instance(instanceOfExecution.get((Long) args[0]));
                        case "getJobExecutions" -> executionsOf(((JobInstance) args[0]).getInstanceId());
                        case "toString" -> "fake JobOperator";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private long start(String job, Properties params) {
            assertThat(job).isEqualTo(TranscodeJob.NAME);
            if (startFails != null) {
                throw startFails;
            }
            // Instance and execution ids differ, so a run naming the wrong one shows.
            long instance = 100 + started.size();
            long execution = 1000 + started.size();
            Properties copy = new Properties();
            copy.putAll(params);
            started.add(new Started(instance, execution, copy));
            instanceOfExecution.put(execution, instance);
            statusOfInstance.put(instance, BatchStatus.STARTED);
            return execution;
        }

        private List<JobExecution> executionsOf(long instance) {
            long execution = started.stream()
                    .filter(s -> s.instance() == instance)
                    .findFirst()
                    .orElseThrow()
                    .execution();
            BatchStatus status = statusOfInstance.get(instance);
            JobExecution e = (JobExecution) Proxy.newProxyInstance(
                    ScheduleRunnerTest.class.getClassLoader(),
                    new Class<?>[] {JobExecution.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getExecutionId" -> execution;
                        case "getBatchStatus" -> status;
                        case "toString" -> "execution " + execution;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return List.of(e);
        }
    }

    /** A daily schedule due at {@code due}'s time of day, saved three hours before {@code up}. */
    private void saveNightly(Instant due, Duration grace, Instant up) throws Exception {
        save(new Schedule(
                "nightly",
                dailyAt(due),
                ZoneOffset.UTC,
                "{\"inputs\": [\"a.mp4\"]}",
                false,
                true,
                grace,
                up.minus(Duration.ofHours(3))));
    }
}
