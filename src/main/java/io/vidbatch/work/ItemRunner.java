package io.vidbatch.work;

import io.vidbatch.media.BadMediaException;
import io.vidbatch.media.ChunkEncoder;
import io.vidbatch.media.ChunkFiles;
import io.vidbatch.media.FfmpegRun;
import io.vidbatch.media.Ladder;
import io.vidbatch.media.Operations;
import io.vidbatch.media.OutputFiles;
import io.vidbatch.media.Part;
import io.vidbatch.media.Preset;
import io.vidbatch.media.Quality;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.media.Tools;
import io.vidbatch.media.Transcoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs a group of items in this JVM, one after the other, ffmpeg as a child process: what a
 * worker process or pod does with the items it was given, and what the coordinator's local
 * launcher does in the coordinator.
 */
public final class ItemRunner {

    private static final int LOG_TAIL = 20;
    /** ffmpeg's last report ("frame= 150 fps= 56 ... speed=1.9x") and its sizes ("video:1593kB audio:76kB ..."). */
    private static final Pattern CLOSING_STATS = Pattern.compile("\\[info\\] (frame=|video:)");

    private final Tools tools;
    private final Transcoder transcoder;
    private final String worker;

    /** @param worker how results name where they ran, e.g. {@code local:host} */
    public ItemRunner(Tools tools, String worker) {
        this.tools = tools;
        this.transcoder = new Transcoder(tools);
        this.worker = worker;
    }

    /** One outcome per item, in order: done, or bad input with the reason. */
    public List<Outcome> run(List<WorkItem> group, Launch launch) throws ToolFailureException, StoppedException {
        List<Outcome> outcomes = new ArrayList<>();
        for (WorkItem item : group) {
            try {
                outcomes.add(Outcome.done(item.dryRun() ? dryRun(item) : transcode(item, launch)));
            } catch (BadMediaException e) {
                outcomes.add(Outcome.badInput(e.getMessage()));
            }
        }
        return outcomes;
    }

    private WorkResult transcode(WorkItem item, Launch launch)
            throws BadMediaException, ToolFailureException, StoppedException {
        // What an earlier attempt at this item left half-written (its worker or coordinator died
        // mid-item): this attempt writes under a name of its own, the old one would stay forever.
        OutputFiles.removeTemporaries(Path.of(item.output()));
        if (item.part() == Part.LADDER_CHUNK) {
            try {
                return ladderChunk(item, launch);
            } finally {
                logTail(Path.of(item.log()), launch);
            }
        }
        Preset preset = Preset.named(item.preset())
                .orElseThrow(() -> new BadMediaException("unknown preset '" + item.preset() + "'"));
        Transcoder.Request request = new Transcoder.Request(
                Path.of(item.source()),
                Path.of(item.output()),
                item.part(),
                preset,
                Operations.parse(item.operations()),
                item.expected(),
                item.streams(),
                Path.of(item.log()),
                item.quality() == null
                        ? null
                        : new Transcoder.Measure(
                                item.qualityFiles(),
                                item.part() == Part.WHOLE ? item.quality().minQuality() : null));
        try {
            Transcoder.Result r = transcoder.transcode(
                    request, p -> launch.progress().update(item.item(), p), launch.stopRequested());
            if (r.quality() != null) {
                writeAtomically(item.qualityFiles().means(), WorkJson.writeMeans(r.quality()));
            }
            return new WorkResult(
                    r.output().toString(),
                    r.bytes(),
                    r.width(),
                    r.height(),
                    r.frames(),
                    r.durationSeconds(),
                    r.audio(),
                    r.encodeSeconds(),
                    r.encodeFps(),
                    worker,
                    System.currentTimeMillis());
        } finally {
            logTail(Path.of(item.log()), launch);
        }
    }

    /**
     * A chunk to every rung, each rendition measured; the chunk's summary is written last, under
     * the item's output name, so a summary on disk means every rendition beside it is complete.
     */
    private WorkResult ladderChunk(WorkItem item, Launch launch)
            throws BadMediaException, ToolFailureException, StoppedException {
        LadderChunk l = item.ladder();
        Path summary = Path.of(item.output());
        ChunkFiles files = new ChunkFiles(summary.getParent(), l.chunk().index());
        ChunkEncoder.Result r = new ChunkEncoder(tools)
                .encode(
                        new ChunkEncoder.Request(
                                Path.of(item.source()), l.rungs(), l.chunk(), files, Path.of(item.log()), l.measure()),
                        p -> launch.progress().update(item.item(), p),
                        launch.stopRequested());
        if (l.measure() && l.minQuality() != null) {
            for (ChunkEncoder.Rendition rendition : r.renditions()) {
                Quality.gate(Quality.of(List.of(rendition.quality())), l.minQuality(), rendition.id());
            }
        }
        writeAtomically(summary, WorkJson.writeChunk(r));
        long bytes =
                r.renditions().stream().mapToLong(ChunkEncoder.Rendition::bytes).sum();
        Ladder.Fitted top = l.rungs().get(0);
        return new WorkResult(
                summary.toString(),
                bytes,
                top.width(),
                top.height(),
                l.chunk().frames(),
                l.chunk().seconds(),
                false,
                r.encodeSeconds() + r.measureSeconds(),
                r.encodeSeconds() > 0 ? l.chunk().frames() / r.encodeSeconds() : 0,
                worker,
                System.currentTimeMillis());
    }

    private static void writeAtomically(Path file, String text) throws ToolFailureException {
        Path temp = OutputFiles.temporaryFor(file);
        try {
            Files.writeString(temp, text);
            OutputFiles.publish(temp, file);
        } catch (IOException e) {
            throw new ToolFailureException("cannot write " + file.getFileName() + ": " + e.getMessage(), e);
        } finally {
            FfmpegRun.deleteQuietly(temp);
        }
    }

    /** The worker saw the item and can read its source; nothing is encoded or written. */
    private WorkResult dryRun(WorkItem item) throws BadMediaException {
        if (!Files.isReadable(Path.of(item.source()))) {
            throw new BadMediaException("dry run: cannot read " + item.source());
        }
        return new WorkResult(item.output(), 0, 0, 0, 0, 0, false, 0, 0, worker, System.currentTimeMillis());
    }

    /**
     * ffmpeg's own lines for the job log: its last warnings (or why it failed) and its closing
     * statistics, so every item's log says what ffmpeg made of it. The rest of its info (stream
     * descriptions, encoder tables) would bury the warnings.
     */
    private static void logTail(Path log, Launch launch) {
        try {
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                List<String> problems = lines.stream()
                        .filter(l -> !l.isBlank() && !FfmpegRun.isInfo(l))
                        .toList();
                problems.subList(Math.max(0, problems.size() - LOG_TAIL), problems.size())
                        .forEach(l -> launch.log().accept("ffmpeg: " + l));
                lines.stream()
                        .filter(l -> CLOSING_STATS.matcher(l).find())
                        .forEach(l -> launch.log().accept("ffmpeg: " + l.strip()));
            }
        } catch (IOException | UncheckedIOException e) {
            launch.log().accept("no ffmpeg log: " + e.getMessage());
        }
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
