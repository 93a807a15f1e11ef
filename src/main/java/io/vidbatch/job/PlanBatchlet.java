package io.vidbatch.job;

import io.vidbatch.config.Roots;
import io.vidbatch.config.Settings;
import jakarta.annotation.Resource;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Logger;

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

    @Resource
    ManagedExecutorService executor;

    @Inject @BatchProperty(name = TranscodeParameters.INPUTS) String inputs;
    @Inject @BatchProperty(name = TranscodeParameters.PRESET) String preset;
    @Inject @BatchProperty(name = TranscodeParameters.OPERATIONS) String operations;
    @Inject @BatchProperty(name = TranscodeParameters.SEGMENT_SECONDS) String segmentSeconds;
    @Inject @BatchProperty(name = TranscodeParameters.WORKERS) String workers;
    @Inject @BatchProperty(name = TranscodeParameters.OUTPUT_DIR) String outputDir;
    @Inject @BatchProperty(name = TranscodeParameters.LAUNCHER) String launcher;

    private volatile boolean stopRequested;

    @Override
    public String process() throws Exception {
        long job = jobContext.getInstanceId();
        Map<String, String> given = new java.util.HashMap<>();
        given.put(TranscodeParameters.INPUTS, inputs);
        given.put(TranscodeParameters.PRESET, preset);
        given.put(TranscodeParameters.OPERATIONS, operations);
        given.put(TranscodeParameters.SEGMENT_SECONDS, segmentSeconds);
        given.put(TranscodeParameters.WORKERS, workers);
        given.put(TranscodeParameters.OUTPUT_DIR, outputDir);
        given.put(TranscodeParameters.LAUNCHER, launcher);
        Roots roots = settings.roots();
        TranscodeParameters.Parsed parsed = TranscodeParameters.parse(given::get, settings.maxWorkers());
        if (!parsed.ok()) {
            throw invalid(parsed.errors());
        }
        TranscodeParameters p = parsed.parameters();
        // An entry outside the input roots is rejected as an input below; the job goes on with the rest.
        List<FieldError> outputErrors = TranscodeParameters.checkPaths(List.of(), p.outputDir(), roots);
        if (!outputErrors.isEmpty()) {
            throw invalid(outputErrors);
        }
        Path out = roots.resolveOutputDir(p.outputDir()).orElseThrow();
        if (!roots.reallyInsideOutput(out)) {
            throw invalid(List.of(new FieldError(TranscodeParameters.OUTPUT_DIR,
                    "'" + p.outputDir() + "' leads outside the output root")));
        }
        Files.createDirectories(out);
        Path work = roots.workDir(job);

        store.deletePlan(job);
        store.insertSettings(job, new JobSettings(p.preset().id(), io.vidbatch.media.Operations.format(p.operations()),
                p.segmentSeconds(), p.workers(), out.toString(), p.launcher(), Instant.now().toString()));
        Planner planner = new Planner(settings.tools(), p, out, work);
        List<Inputs.Candidate> candidates = Inputs.expand(p.inputs(), roots);
        // Probing is mostly ffprobe starting up: examine several inputs at once, store them in order.
        int parallel = Math.max(1, Runtime.getRuntime().availableProcessors());
        Deque<Future<Planner.Examined>> window = new ArrayDeque<>();
        int items = 0;
        int rejected = 0;
        int inputNo = 0;
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
                if (planned.row().state().equals(Planner.REJECTED)) {
                    rejected++;
                }
            }
        } finally {
            window.forEach(f -> f.cancel(true));
        }
        LOG.info(String.format("plan: %d inputs, %d rejected, %d work items, preset %s, %d workers", inputNo, rejected,
                items, p.preset().id(), p.workers()));
        return items == 0 ? NO_WORK : "PLANNED";
    }

    private static Planner.Examined examined(Future<Planner.Examined> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot plan an input: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void store(long job, Planner.Planned planned) throws java.sql.SQLException {
        WorkStore.InputRow row = planned.row();
        String detail = planned.detail() == null ? null : store.json().toJson(planned.detail());
        store.insertInput(job, new WorkStore.InputRow(row.input(), row.given(), row.source(), row.state(), row.reason(),
                row.output(), detail));
        for (var item : planned.items()) {
            store.insertItem(job, item);
        }
        if (row.state().equals(Planner.REJECTED)) {
            LOG.warning(String.format("input %d rejected: %s: %s", row.input(), describe(row), row.reason()));
        } else {
            LOG.info(String.format("input %d planned: %s: %d item(s)%s", row.input(), row.source(),
                    planned.items().size(), row.reason() != null ? " (" + row.reason() + ")" : ""));
        }
    }

    /** The job ends FAILED with the reason as its exit status, where every client shows it. */
    private IllegalArgumentException invalid(List<FieldError> errors) {
        String message = "invalid parameters: " + String.join("; ", errors.stream().map(FieldError::toString).toList());
        jobContext.setExitStatus(message);
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
