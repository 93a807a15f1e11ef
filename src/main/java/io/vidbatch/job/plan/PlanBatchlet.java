package io.vidbatch.job.plan;

import io.vidbatch.config.Roots;
import io.vidbatch.config.Settings;
import io.vidbatch.job.ExitStatus;
import io.vidbatch.job.ExpansionDeadline;
import io.vidbatch.job.FieldError;
import io.vidbatch.job.FirstStepTurns;
import io.vidbatch.job.InputLists;
import io.vidbatch.job.Inputs;
import io.vidbatch.job.Planner;
import io.vidbatch.job.TranscodeParameters;
import io.vidbatch.media.Operations;
import io.vidbatch.media.OutputFiles;
import io.vidbatch.store.InputState;
import io.vidbatch.store.JobSettings;
import io.vidbatch.store.RepositoryIndex;
import io.vidbatch.store.WorkStore;
import jakarta.annotation.Resource;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Step 1: checks the parameters, resolves the inputs inside the input roots, probes each (several
 * at once), rejects what cannot be used (with a reason; the job goes on with the rest) and
 * stores the work items in input order. Planning again after a failure starts from scratch.
 */
@Named("planBatchlet")
@Dependent
public class PlanBatchlet extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(PlanBatchlet.class.getName());
    static final String NO_WORK = "NO_WORK";

    @Inject
    JobContext jobContext;

    @Inject
    Settings settings;

    @Inject
    WorkStore store;

    @Inject
    InputLists lists;

    @Inject
    RepositoryIndex repositoryIndex;

    @Inject
    FirstStepTurns firstStepTurns;

    @Resource
    ManagedExecutorService executor;

    private volatile boolean stopRequested;

    @Override
    public String process() throws Exception {
        repositoryIndex.ensure();
        firstStepTurns.giveBack(jobContext.getExecutionId());
        long job = jobContext.getInstanceId();
        // This execution's parameters; our API's restart passes the original ones again.
        Properties given = BatchRuntime.getJobOperator().getParameters(jobContext.getExecutionId());
        Roots roots = settings.roots();
        TranscodeParameters.Parsed parsed =
                TranscodeParameters.parse(inputs(given), given::getProperty, settings.maxWorkers());
        if (!parsed.ok()) {
            throw invalid(parsed.errors());
        }
        TranscodeParameters p = parsed.parameters();
        // An entry outside the input roots is rejected as an input below; the job goes on with the rest.
        Path out = roots.resolveOutputDir(p.outputDir()).orElse(null);
        if (out == null) {
            throw invalid(TranscodeParameters.checkPaths(List.of(), p.outputDir(), roots));
        }
        if (!roots.reallyInsideOutput(out)) {
            throw invalid(List.of(new FieldError(
                    TranscodeParameters.OUTPUT_DIR, "'" + p.outputDir() + "' leads outside the output root")));
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            String message = "cannot create the output folder " + out + ": " + e;
            jobContext.setExitStatus(ExitStatus.of(message));
            throw new IllegalStateException(message, e);
        }
        Path work = roots.workDir(job);

        // Planning again (after a failure or a stop) starts from nothing: no rows, no pieces.
        store.forget(job);
        OutputFiles.deleteTree(work);
        store.insertSettings(
                job,
                new JobSettings(
                        p.preset().id(),
                        Operations.format(p.operations()),
                        p.segmentSeconds(),
                        p.workers(),
                        out.toString(),
                        p.launcher(),
                        p.groupSize(),
                        p.dryRun(),
                        Instant.now().toString(),
                        p.audio(),
                        p.ladder() == null ? null : p.ladder().text(),
                        p.minQuality(),
                        p.quality(),
                        p.webhooks().isEmpty() ? null : p.webhooks()));
        Planner planner = new Planner(settings.tools(), p, settings.budget(), out, work, roots.claimsDir());
        List<Inputs.Candidate> candidates;
        try {
            // Stop must reach a walk of a huge tree too, not only the probing after it.
            candidates = Inputs.expand(
                    p.inputs(), roots, ExpansionDeadline.after(ExpansionDeadline.DEFAULT, () -> stopRequested));
        } catch (ExpansionDeadline.Passed e) {
            if (stopRequested) {
                LOG.info(e.getMessage());
                return "STOPPED";
            }
            jobContext.setExitStatus(ExitStatus.of(e.getMessage()));
            LOG.severe(e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
        int items = 0;
        int rejected = 0;
        int inputNo = 0;
        if (planner.defers()) {
            // Each input is examined by the item that encodes it, as it comes up: the first encode
            // starts without waiting for every input of the night to be probed. Names are claimed
            // in input order; the largest files are queued first, standing in for the longest.
            List<Planner.Named> named = new ArrayList<>();
            for (Inputs.Candidate c : candidates) {
                if (stopRequested) {
                    return "STOPPED";
                }
                inputNo++;
                if (c.accepted()) {
                    named.add(planner.name(job, inputNo, c));
                } else {
                    store(job, planner.plan(job, Planner.Examined.rejected(inputNo, c, c.rejection())));
                    rejected++;
                }
            }
            named.sort(Comparator.comparingLong((Planner.Named n) -> size(n.candidate()))
                    .reversed());
            for (Planner.Named n : named) {
                Planner.Planned planned = planner.queue(job, n);
                store(job, planned);
                items += planned.items().size();
                if (planned.row().state() == InputState.REJECTED) {
                    rejected++;
                }
            }
            return planned(inputNo, rejected, items, p);
        }
        // Probing is mostly ffprobe starting up: examine several inputs at once, store them in order.
        int parallel = Math.max(1, Runtime.getRuntime().availableProcessors());
        Deque<Future<Planner.Examined>> window = new ArrayDeque<>();
        try {
            for (int next = 0; next < candidates.size() || !window.isEmpty(); ) {
                while (next < candidates.size() && window.size() < parallel) {
                    Inputs.Candidate c = candidates.get(next++);
                    int n = next;
                    window.add(executor.submit(() -> planner.examine(n, c)));
                }
                if (stopRequested) {
                    return "STOPPED";
                }
                Planner.Planned planned = planner.plan(job, examined(window.poll()));
                inputNo++;
                store(job, planned);
                items += planned.items().size();
                if (planned.row().state() == InputState.REJECTED) {
                    rejected++;
                }
            }
        } finally {
            window.forEach(f -> f.cancel(true));
        }
        return planned(inputNo, rejected, items, p);
    }

    /** The file's size, 0 when it cannot be read now (its examination will say why). */
    private static long size(Inputs.Candidate c) {
        try {
            return Files.size(c.real());
        } catch (IOException e) {
            return 0;
        }
    }

    private static String planned(int inputs, int rejected, int items, TranscodeParameters p) {
        LOG.info(String.format(
                "plan: %d inputs, %d rejected, %d work items, preset %s, %d workers",
                inputs, rejected, items, p.preset().id(), p.workers()));
        return items == 0 ? NO_WORK : "PLANNED";
    }

    /** The entries of the job's input list when it names one (our API, schedules), else its {@code inputs}. */
    private List<String> inputs(Properties given) throws SQLException {
        String list = given.getProperty(TranscodeParameters.INPUT_LIST);
        if (list == null) {
            return TranscodeParameters.splitInputs(given.getProperty(TranscodeParameters.INPUTS));
        }
        return lists.entries(list.strip())
                .orElseThrow(() -> invalid(List.of(new FieldError(
                        TranscodeParameters.INPUT_LIST,
                        "no input list '" + list
                                + "' (lists are made by POST /api/v1/jobs; Liberty's API takes 'inputs')"))));
    }

    private static Planner.Examined examined(Future<Planner.Examined> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot plan an input: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void store(long job, Planner.Planned planned) throws SQLException {
        WorkStore.InputRow row = planned.row()
                .withDetail(planned.detail() == null ? null : store.json().toJson(planned.detail()));
        String unfit = WorkStore.unfit(
                row,
                planned.standby() == null
                        ? planned.items()
                        : Stream.concat(planned.items().stream(), Stream.of(planned.standby()))
                                .toList());
        if (unfit != null) {
            // One file's record too large for its row must not fail the job (and a watch run's other files with it).
            row = new WorkStore.InputRow(
                    row.input(),
                    row.given(),
                    WorkStore.cut(row.source(), 4000),
                    InputState.REJECTED,
                    "cannot be recorded: " + unfit,
                    null,
                    null);
            planned = new Planner.Planned(row, null, List.of(), null);
        }
        store.insertPlanned(job, row, planned.items(), planned.standby());
        if (row.state() == InputState.REJECTED) {
            LOG.warning(String.format("input %d rejected: %s: %s", row.input(), describe(row), row.reason()));
        } else {
            LOG.info(String.format(
                    "input %d planned: %s: %d item(s)%s",
                    row.input(),
                    row.source(),
                    planned.items().size(),
                    row.reason() != null ? " (" + row.reason() + ")" : ""));
        }
    }

    /** The job ends FAILED with the reason as its exit status, where every client shows it. */
    private IllegalArgumentException invalid(List<FieldError> errors) {
        String message = "invalid parameters: "
                + String.join("; ", errors.stream().map(FieldError::toString).toList());
        jobContext.setExitStatus(ExitStatus.of(message));
        LOG.severe(message);
        return new IllegalArgumentException(message);
    }

    private static String describe(WorkStore.InputRow row) {
        return row.source() != null ? row.source() : row.given();
    }

    @Override
    public void stop() {
        stopRequested = true;
    }
}
