package io.vidbatch.job.assemble;

import io.vidbatch.config.Settings;
import io.vidbatch.job.ExitStatus;
import io.vidbatch.job.InputDetail;
import io.vidbatch.job.JobOutcome;
import io.vidbatch.job.JobReport;
import io.vidbatch.job.OutputNames;
import io.vidbatch.job.TranscodeJob;
import io.vidbatch.media.BadMediaException;
import io.vidbatch.media.Joiner;
import io.vidbatch.media.MediaInfo;
import io.vidbatch.media.Operation;
import io.vidbatch.media.Operations;
import io.vidbatch.media.OutputFiles;
import io.vidbatch.media.Part;
import io.vidbatch.media.Preset;
import io.vidbatch.media.Quality;
import io.vidbatch.media.StreamPlan;
import io.vidbatch.media.Thumbnailer;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.store.InputState;
import io.vidbatch.store.ItemState;
import io.vidbatch.store.JobSettings;
import io.vidbatch.store.WorkStore;
import io.vidbatch.work.WorkResult;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Step 3: joins the pieces of segmented inputs and verifies the result against its source
 * (whole-file outputs were verified by their worker before they were renamed into place),
 * takes the thumbnails asked for, writes the report and sets the job's exit status to the
 * counts. Safe to run again: finished inputs are left as they are.
 */
@Named("assembleBatchlet")
@Dependent
public class AssembleBatchlet extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(AssembleBatchlet.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    Settings settings;

    @Inject
    WorkStore store;

    @Inject
    Reports reports;

    @Override
    public String process() throws Exception {
        long job = jobContext.getInstanceId();
        JobSettings js = store.settings(job);
        Preset preset = Preset.named(js.preset()).orElseThrow();
        List<Operation> ops = Operations.parse(js.operations());
        List<WorkStore.ItemRow> items = store.items(job);
        Path work = settings.roots().workDir(job);
        for (WorkStore.InputRow input : store.inputs(job)) {
            if (input.state() != InputState.PLANNED) {
                continue;
            }
            List<WorkStore.ItemRow> all = items.stream()
                    .filter(i -> i.input() == input.input())
                    .sorted(Comparator.comparingInt(WorkStore.ItemRow::segment))
                    .toList();
            boolean sentWhole = sentWhole(all);
            List<WorkStore.ItemRow> mine = all.stream()
                    .filter(i -> sentWhole ? i.part() == Part.WHOLE : i.state() != ItemState.STANDBY)
                    .toList();
            // None for an input queued unexamined whose item never ran: requireAllDone fails it below.
            InputDetail detail =
                    input.detail() == null ? null : store.json().fromJson(input.detail(), InputDetail.class);
            String note = input.reason();
            if (sentWhole) {
                store.supersede(job, input.input());
                // Segmented, then encoded whole: the report says so, and why.
                detail = detail.encodedWhole();
                note = "encoded whole: " + wholeBecause(all);
            }
            try {
                requireAllDone(mine);
                if (js.dryRun()) {
                    // Nothing was encoded: the input is done when its workers saw every piece of it.
                    store.updateInput(
                            job,
                            input.input(),
                            InputState.DONE,
                            note == null ? "dry run: nothing encoded" : "dry run: nothing encoded; " + note,
                            input.detail());
                    continue;
                }
                // The tracks the whole-file item was planned with: the joined file carries the same.
                StreamPlan.Map streams = all.stream()
                        .filter(i -> i.part() == Part.WHOLE)
                        .findFirst()
                        .map(i -> i.spec().streams())
                        .orElse(StreamPlan.Map.NONE);
                InputDetail done;
                if (detail.ladder() != null) {
                    LadderAssembly.Assembled a = new LadderAssembly(settings.tools())
                            .assemble(input, detail, mine, encodeSeconds(mine), work);
                    done = detail.withOutput(a.output()).withLadder(a.ladder());
                } else {
                    // Merged from every measured piece, and gated, before anything is joined.
                    List<Quality.Part> parts = OutputQuality.parts(mine);
                    Quality quality = OutputQuality.gated(parts, js.minQuality());
                    InputDetail.Output out = assemble(input, detail, mine, streams, preset, ops, work);
                    done = detail.withOutput(
                            new OutputQuality(settings.tools()).onto(out, parts, quality, detail.unmeasured()));
                }
                InputDetail.Output output = done.output();
                store.updateInput(
                        job, input.input(), InputState.DONE, note, store.json().toJson(done));
                all.forEach(i -> OutputQuality.deleteStats(i.spec()));
                LOG.info(String.format(
                        "input %d done: %s (%d frames, %.1f s, %d bytes)",
                        input.input(), output.path(), output.frames(), output.seconds(), output.bytes()));
            } catch (BadMediaException e) {
                store.updateInput(job, input.input(), InputState.FAILED, e.getMessage(), input.detail());
                LOG.warning(String.format("input %d failed: %s: %s", input.input(), input.source(), e.getMessage()));
            }
        }
        JobReport report = reports.build(job);
        Path file = reports.write(report);
        if (report.summary().pending() == 0) {
            cleanWorkFiles(work);
        }
        if (report.summary().outcome() == JobOutcome.ALL_DONE
                || report.summary().outcome() == JobOutcome.PARTIAL) {
            // COMPLETED: no restart will write more, and the files written hold their names now.
            OutputNames.release(
                    settings.roots().claimsDir(),
                    job,
                    store.inputs(job).stream()
                            .map(WorkStore.InputRow::output)
                            .filter(Objects::nonNull)
                            .map(Path::of)
                            .toList());
        }
        String exit = report.exitStatus();
        jobContext.setExitStatus(ExitStatus.of(exit));
        LOG.info(exit + "; report: " + file);
        return exit;
    }

    /** A segmented input that a failed segment sent over to its whole-file item. */
    private static boolean sentWhole(List<WorkStore.ItemRow> all) {
        return all.stream().anyMatch(i -> i.part() != Part.WHOLE)
                && all.stream().anyMatch(i -> i.part() == Part.WHOLE && i.state() != ItemState.STANDBY);
    }

    /** The failed segment that sent the input over to its whole-file item, and why it failed. */
    private static String wholeBecause(List<WorkStore.ItemRow> all) {
        return all.stream()
                .filter(i -> i.part() == Part.VIDEO_SEGMENT && i.state() == ItemState.FAILED)
                .findFirst()
                .map(i -> "video segment " + i.segment() + " could not be encoded on its own (" + i.reason() + ")")
                .orElse("a segment could not be encoded on its own");
    }

    /** An input fails with its first failed piece's reason, or when a piece was never done. */
    private static void requireAllDone(List<WorkStore.ItemRow> items) throws BadMediaException {
        Optional<WorkStore.ItemRow> failed =
                items.stream().filter(i -> i.state() == ItemState.FAILED).findFirst();
        if (failed.isPresent()) {
            WorkStore.ItemRow f = failed.get();
            throw new BadMediaException(
                    f.part() == Part.WHOLE ? f.reason() : f.spec().piece() + ": " + f.reason());
        }
        if (items.isEmpty() || items.stream().anyMatch(i -> i.state() != ItemState.DONE)) {
            throw new BadMediaException("not every piece was processed");
        }
    }

    /** Joins (or takes) the input's verified pieces; every piece is done. */
    private InputDetail.Output assemble(
            WorkStore.InputRow input,
            InputDetail detail,
            List<WorkStore.ItemRow> items,
            StreamPlan.Map streams,
            Preset preset,
            List<Operation> ops,
            Path work)
            throws BadMediaException, ToolFailureException {
        Path output = Path.of(input.output());
        double encodeSeconds = encodeSeconds(items);
        List<String> workers =
                items.stream().map(i -> i.result().worker()).distinct().toList();
        InputDetail.Output out;
        if (items.size() == 1 && items.get(0).part() == Part.WHOLE) {
            // Verified by the worker before it was renamed into place.
            WorkResult r = items.get(0).result();
            out = InputDetail.Output.of(
                    r.output(),
                    r.bytes(),
                    r.width(),
                    r.height(),
                    r.frames(),
                    r.seconds(),
                    r.audio(),
                    encodeSeconds,
                    r.encodeFps(),
                    workers);
        } else {
            List<Joiner.Piece> pieces = items.stream()
                    .filter(i -> i.part() == Part.VIDEO_SEGMENT)
                    .map(i -> new Joiner.Piece(
                            Path.of(i.spec().output()), i.spec().seconds()))
                    .toList();
            Path audio = items.stream()
                    .filter(i -> i.part() == Part.AUDIO)
                    .map(i -> Path.of(i.spec().output()))
                    .findFirst()
                    .orElse(null);
            Path log = work.resolve(TranscodeJob.LOGS).resolve("join-" + input.input() + ".log");
            MediaInfo info = new Joiner(settings.tools())
                    .join(pieces, audio, Path.of(input.source()), streams, preset, output, detail.expected(), log);
            long frames = info.video().frames();
            out = InputDetail.Output.of(
                    output.toString(),
                    info.sizeBytes(),
                    info.video().displayWidth(),
                    info.video().displayHeight(),
                    frames,
                    info.video().streamDuration(),
                    info.hasAudio(),
                    encodeSeconds,
                    encodeSeconds > 0 ? frames / encodeSeconds : 0,
                    workers);
        }
        return out.withThumbnails(thumbnails(output, out.seconds(), ops));
    }

    private static double encodeSeconds(List<WorkStore.ItemRow> items) {
        return items.stream()
                .map(WorkStore.ItemRow::result)
                .mapToDouble(WorkResult::encodeSeconds)
                .sum();
    }

    /** A still that cannot be taken is logged; it does not undo a verified output. */
    private List<String> thumbnails(Path output, double seconds, List<Operation> ops) throws ToolFailureException {
        List<String> files = new ArrayList<>();
        String name = output.getFileName().toString();
        String stem = name.substring(0, name.lastIndexOf('.'));
        int n = 0;
        for (Operation op : ops) {
            if (op instanceof Operation.Thumbnail t) {
                Path jpg = output.resolveSibling(stem + "-thumb" + (++n) + ".jpg");
                try {
                    new Thumbnailer(settings.tools()).thumbnail(output, t.secondsInto(seconds), t.width(), jpg);
                    files.add(jpg.toString());
                } catch (BadMediaException e) {
                    LOG.warning("no thumbnail for " + output + ": " + e.getMessage());
                }
            }
        }
        return files;
    }

    /** Pieces go once every input has its final state; the logs stay for diagnosis. */
    private static void cleanWorkFiles(Path work) throws IOException {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (Stream<Path> s = Files.list(work)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().equals(TranscodeJob.LOGS))
                    .toList()) {
                OutputFiles.deleteTree(p);
            }
        }
    }
}
