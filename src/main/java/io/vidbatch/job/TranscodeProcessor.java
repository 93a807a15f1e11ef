package io.vidbatch.job;

import io.vidbatch.config.Settings;
import io.vidbatch.launch.LocalLauncher;
import io.vidbatch.launch.WorkItem;
import io.vidbatch.launch.WorkResult;
import io.vidbatch.media.BadMediaException;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands one item to the launcher and waits for it: decode → process → encode happen in the
 * worker. A stop request ends the worker and leaves the item pending for a restart.
 */
@Named("transcodeProcessor")
@Dependent
public class TranscodeProcessor implements ItemProcessor {

    private static final Logger LOG = Logger.getLogger(TranscodeProcessor.class.getName());
    private static final int LOG_TAIL = 20;

    @Inject
    JobContext jobContext;

    @Inject
    Settings settings;

    @Inject
    ProgressBoard board;

    @Inject
    @BatchProperty(name = "partition")
    String partition;

    private LocalLauncher launcher;

    @Override
    public Object processItem(Object o) throws Exception {
        WorkItem item = (WorkItem) o;
        if (launcher == null) {
            launcher = new LocalLauncher(settings.tools());
        }
        board.started(item, Integer.parseInt(partition), "local");
        LOG.info(() -> String.format("item %d started: %s of %s", item.item(), describe(item), item.source()));
        try {
            WorkResult r = launcher.run(item, p -> board.update(item, p), this::stopRequested);
            LOG.info(() -> String.format("item %d done in %.1f s: %d frames at %.1f fps, %d bytes, on %s", item.item(),
                    r.encodeSeconds(), r.frames(), r.encodeFps(), r.bytes(), r.worker()));
            logFfmpeg(item, Level.INFO);
            return new Finished(item, r);
        } catch (StoppedException e) {
            LOG.info(() -> "item " + item.item() + " stopped on request; it stays pending for a restart");
            return null;
        } catch (BadMediaException e) {
            LOG.warning(() -> "item " + item.item() + " failed: " + e.getMessage());
            logFfmpeg(item, Level.WARNING);
            throw new ItemFailedException(e.getMessage());
        } catch (ToolFailureException e) {
            LOG.warning(() -> "item " + item.item() + " lost its worker: " + e.getMessage());
            throw new WorkerLostException(e.getMessage());
        } finally {
            board.finished(item);
        }
    }

    /**
     * Jakarta Batch stops a chunk step only between chunks; a long encode must hear of a stop
     * while it runs. Liberty sets the partition's job context to STOPPING as soon as a stop is
     * requested, so asking costs nothing and can be done on every poll.
     */
    private boolean stopRequested() {
        BatchStatus s = jobContext.getBatchStatus();
        return s == BatchStatus.STOPPING || s == BatchStatus.STOPPED;
    }

    /** ffmpeg's own lines for this item, into the job log of this partition. */
    private static void logFfmpeg(WorkItem item, Level level) {
        try {
            Path log = Path.of(item.log());
            if (!Files.exists(log)) {
                return;
            }
            List<String> lines = Files.readAllLines(log);
            for (String line : lines.subList(Math.max(0, lines.size() - LOG_TAIL), lines.size())) {
                LOG.log(level, "item {0} ffmpeg: {1}", new Object[]{item.item(), line});
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            LOG.fine("no ffmpeg log for item " + item.item());
        }
    }

    static String describe(WorkItem item) {
        return switch (item.part()) {
            case WHOLE -> "whole file";
            case VIDEO_SEGMENT -> "video segment " + item.segment();
            case AUDIO -> "audio";
        };
    }
}
