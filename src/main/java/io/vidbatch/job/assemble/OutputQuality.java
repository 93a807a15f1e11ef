package io.vidbatch.job.assemble;

import io.vidbatch.job.InputDetail;
import io.vidbatch.media.BadMediaException;
import io.vidbatch.media.FfmpegRun;
import io.vidbatch.media.Quality;
import io.vidbatch.media.QualityFiles;
import io.vidbatch.media.Thumbnailer;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.media.Tools;
import io.vidbatch.store.WorkStore;
import io.vidbatch.work.WorkItem;
import io.vidbatch.work.WorkJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A single file's quality against its source, from what the workers measured of its pieces:
 * merged as one run over the whole file would give it, gated, and its worst frame kept as a still.
 */
final class OutputQuality {

    private static final Logger LOG = Logger.getLogger(OutputQuality.class.getName());

    private final Tools tools;

    OutputQuality(Tools tools) {
        this.tools = tools;
    }

    /** Each measured piece's frames' figures and filters' means, as its worker left them beside its log. */
    static List<Quality.Part> parts(List<WorkStore.ItemRow> items) throws BadMediaException {
        List<Quality.Part> parts = new ArrayList<>();
        for (WorkItem i : items.stream()
                .map(WorkStore.ItemRow::spec)
                .filter(i -> i.quality() != null)
                .toList()) {
            QualityFiles files = i.qualityFiles();
            try {
                double[] means = WorkJson.readMeans(Files.readString(files.means()));
                parts.add(Quality.read(files.psnr(), files.ssim(), means[0], means[1]));
            } catch (IOException | RuntimeException e) {
                throw new BadMediaException(
                        "the quality figures of " + i.piece() + " cannot be read: " + e.getMessage());
            }
        }
        return parts;
    }

    /**
     * The merged figures, or null when nothing was measured; below {@code minQuality} the input
     * fails here, before its pieces are joined.
     */
    static Quality gated(List<Quality.Part> parts, Double minQuality) throws BadMediaException {
        if (parts.isEmpty()) {
            return null;
        }
        Quality q = Quality.of(parts);
        if (minQuality != null) {
            Quality.gate(q, minQuality, null);
        }
        return q;
    }

    /** The output with its figures, its worst frame and a still of it, or why it was not measured. */
    InputDetail.Output onto(InputDetail.Output out, List<Quality.Part> parts, Quality q, String unmeasured)
            throws ToolFailureException {
        if (q == null) {
            return out.withQuality(null, null, null, null, unmeasured);
        }
        long worst = LadderAssembly.Worst.of(parts).frame();
        return out.withQuality(q, worst, still(Path.of(out.path()), worst), tools.vmaf(), unmeasured);
    }

    /** {@code <name>-worst.jpg} beside the output; null when it cannot be taken. */
    private String still(Path output, long frame) throws ToolFailureException {
        String name = output.getFileName().toString();
        Path jpg = output.resolveSibling(name.substring(0, name.lastIndexOf('.')) + "-worst.jpg");
        try {
            new Thumbnailer(tools).frame(output, frame, LadderAssembly.STILL_WIDTH, jpg);
            return jpg.toString();
        } catch (BadMediaException e) {
            // As a thumbnail: logged, and it does not undo a verified output.
            LOG.warning("no still of the worst frame of " + output + ": " + e.getMessage());
            return null;
        }
    }

    /** Once the figures are in the report: the frames' stats would fill the log folder. */
    static void deleteStats(WorkItem i) {
        if (i.quality() != null) {
            i.qualityFiles().all().forEach(FfmpegRun::deleteQuietly);
        }
    }
}
