package io.vidbatch.retention;

import io.vidbatch.config.Settings;
import io.vidbatch.job.InputLists;
import io.vidbatch.job.OutputNames;
import io.vidbatch.job.TranscodeParameters;
import io.vidbatch.media.OutputFiles;
import io.vidbatch.notify.WebhookStore;
import io.vidbatch.store.WorkStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Forgets job instances that ended before a cutoff: Liberty purges its rows and job logs (its
 * own purge, through its batch API), then vidbatch deletes its rows of the job, its input list
 * and its work folder. Outputs stay unless asked for: they are what the job was for.
 */
@ApplicationScoped
public class Purge {

    private static final Logger LOG = Logger.getLogger(Purge.class.getName());
    private static final int PAGE = 1000;

    @Inject
    LibertyBatch liberty;

    @Inject
    WorkStore store;

    @Inject
    WebhookStore webhooks;

    @Inject
    InputLists inputLists;

    @Inject
    Settings settings;

    /**
     * @param purged  the instances purged, oldest first
     * @param failed  "instance 12: why" for each one Liberty or vidbatch could not purge
     * @param outputs outputs deleted (0 unless asked)
     */
    public record Report(List<Long> purged, List<String> failed, int outputs) {}

    /** One purge at a time: two at once would only ask Liberty twice for the same instances. */
    public synchronized Report run(Instant endedBefore, boolean deleteOutputs) throws IOException, SQLException {
        List<Long> old = new ArrayList<>();
        for (int page = 0; ; page++) {
            List<LibertyBatch.Instance> ended = liberty.ended(page, PAGE);
            ended.stream().filter(i -> i.lastUpdated().isBefore(endedBefore)).forEach(i -> old.add(i.id()));
            if (ended.size() < PAGE) {
                break;
            }
        }
        List<Long> purged = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int outputs = 0;
        for (int from = 0; from < old.size(); from += LibertyBatch.PER_REQUEST) {
            List<Long> batch = old.subList(from, Math.min(old.size(), from + LibertyBatch.PER_REQUEST));
            // What vidbatch keeps apart from Liberty's rows must be read before they go.
            List<Forgotten> ours = new ArrayList<>();
            for (long id : batch) {
                ours.add(new Forgotten(
                        id, liberty.parameters(id).get(TranscodeParameters.INPUT_LIST), store.outputs(id)));
            }
            for (LibertyBatch.Purged p : liberty.purge(batch)) {
                if (!p.done()) {
                    failed.add("instance " + p.id() + ": " + p.message());
                    continue;
                }
                Forgotten f =
                        ours.stream().filter(o -> o.id == p.id()).findFirst().orElseThrow();
                if (deleteOutputs) {
                    outputs += deleteOutputs(f.outputs);
                }
                forget(f);
                // A job that never completed still holds its outputs' names.
                OutputNames.release(
                        settings.roots().claimsDir(),
                        f.id,
                        f.outputs.stream().map(WorkStore.PlannedOutput::path).toList());
                purged.add(p.id());
            }
        }
        Report report = new Report(purged, failed, outputs);
        LOG.info(() -> String.format(
                "purge of the job instances that ended before %s: %d purged, %d failed%s",
                endedBefore,
                report.purged().size(),
                report.failed().size(),
                deleteOutputs ? ", " + report.outputs() + " outputs deleted" : ""));
        return report;
    }

    /**
     * Removes what vidbatch keeps of jobs Liberty no longer has: those purged through Liberty's
     * own API or Admin Center, which know nothing of vidbatch's rows.
     */
    public int sweep() throws IOException, SQLException {
        List<Long> ours = store.jobs();
        int swept = 0;
        for (int from = 0; from < ours.size(); from += LibertyBatch.PER_REQUEST) {
            List<Long> batch = ours.subList(from, Math.min(ours.size(), from + LibertyBatch.PER_REQUEST));
            List<Long> held = liberty.existing(batch);
            for (long id : batch) {
                if (!held.contains(id)) {
                    forget(new Forgotten(id, null, List.of()));
                    swept++;
                }
            }
        }
        return swept;
    }

    private record Forgotten(long id, String inputList, List<WorkStore.PlannedOutput> outputs) {}

    private void forget(Forgotten f) throws IOException, SQLException {
        store.forget(f.id);
        webhooks.forgetJob(f.id);
        if (f.inputList != null) {
            inputLists.delete(f.inputList);
        }
        OutputFiles.deleteTree(settings.roots().workDir(f.id));
    }

    /**
     * Only what lies under the output root, links resolved: a row naming anything else, or a
     * folder on the way replaced by a link, is not followed.
     */
    private int deleteOutputs(List<WorkStore.PlannedOutput> outputs) throws IOException {
        Path root = settings.roots().outputRoot().toRealPath();
        int n = 0;
        for (WorkStore.PlannedOutput o : outputs) {
            if (!o.done() || !Files.exists(o.path(), LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(o.path())) {
                continue; // a name planned but never made, or gone, or a link: nothing of this job's
            }
            Path file = o.path().toRealPath();
            if (!file.startsWith(root) || file.equals(root)) {
                continue;
            }
            if (Files.isDirectory(file)) {
                OutputFiles.deleteTree(file); // a ladder's renditions and playlists
            } else {
                Files.delete(file);
            }
            n++;
        }
        return n;
    }
}
