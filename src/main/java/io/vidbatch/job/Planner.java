package io.vidbatch.job;

import io.vidbatch.media.BadMediaException;
import io.vidbatch.media.Budget;
import io.vidbatch.media.Chunk;
import io.vidbatch.media.ChunkFiles;
import io.vidbatch.media.Containers;
import io.vidbatch.media.Expected;
import io.vidbatch.media.Ladder;
import io.vidbatch.media.MediaInfo;
import io.vidbatch.media.Operation;
import io.vidbatch.media.Operations;
import io.vidbatch.media.PacketTimes;
import io.vidbatch.media.Part;
import io.vidbatch.media.Preset;
import io.vidbatch.media.Prober;
import io.vidbatch.media.Splitter;
import io.vidbatch.media.StreamPlan;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.media.Tools;
import io.vidbatch.store.InputState;
import io.vidbatch.store.WorkStore;
import io.vidbatch.work.LadderChunk;
import io.vidbatch.work.QualityCheck;
import io.vidbatch.work.WorkItem;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one input file into work items: probes it, checks that the operations fit it, works
 * out what a correct output must measure, and splits it at keyframes when asked to.
 */
public final class Planner {

    /**
     * Packets listed for one input (cut points, frame gaps) are held in the coordinator's heap,
     * about 100 bytes each while read: a crafted file of tiny packets must not take it all. A
     * million is 4.6 hours at 60 frames a second; a longer video is encoded whole.
     */
    static final long MAX_LISTED_PACKETS = 1_000_000;
    /** The duration check's tolerance for a variable-rate video too long to list its frame gaps. */
    private static final double UNLISTED_LONGEST_FRAME_SECONDS = 1.0;

    private final Tools tools;
    private final Prober prober;
    private final Splitter splitter;
    private final TranscodeParameters params;
    private final Budget budget;
    private final Path outputDir;
    private final Path workDir;
    private final Path claims;
    private OutputNames names;
    private int nextItem;

    public Planner(Tools tools, TranscodeParameters params, Budget budget, Path outputDir, Path workDir, Path claims) {
        this.claims = claims;
        this.budget = budget;
        this.tools = tools;
        this.prober = new Prober(tools);
        this.splitter = new Splitter(tools);
        this.params = params;
        this.outputDir = outputDir;
        this.workDir = workDir;
    }

    /**
     * An input's row (its detail still to be stored), its detail and its items (none when
     * rejected); for a segmented input, the whole-file item that stands by in case a segment
     * cannot be encoded on its own (null otherwise).
     */
    public record Planned(WorkStore.InputRow row, InputDetail detail, List<WorkItem> items, WorkItem standby) {}

    /**
     * What examining one input found: a rejection, or its probe, expectations and how it is cut.
     * Examining touches nothing shared, so inputs can be examined in parallel.
     */
    public record Examined(
            int inputNo,
            Inputs.Candidate candidate,
            String rejection,
            MediaInfo info,
            Expected expected,
            StreamPlan streams,
            Splitter.Result split,
            String note,
            Ladder.Fit fit,
            List<Chunk> chunks) {
        public static Examined rejected(int inputNo, Inputs.Candidate c, String why) {
            return new Examined(inputNo, c, why, null, null, null, null, null, null, null);
        }
    }

    /** Probes the input, checks the operations fit it, works out its expectations and splits it if asked. */
    public Examined examine(int inputNo, Inputs.Candidate c) throws ToolFailureException {
        if (!c.accepted()) {
            return Examined.rejected(inputNo, c, c.rejection());
        }
        try {
            Containers.checkSource(c.real());
            MediaInfo info = prober.probe(c.real());
            var over = budget.exceededBy(info.video());
            if (over.isPresent()) {
                return Examined.rejected(inputNo, c, over.get());
            }
            String misfit = fitProblem(
                    params.operations(),
                    info.video().displayWidth(),
                    info.video().displayHeight());
            if (misfit != null) {
                return Examined.rejected(inputNo, c, misfit);
            }
            StreamPlan streams =
                    StreamPlan.of(info, params.audio(), params.preset(), prober.hdr(c.real(), info.video()));
            if (params.ladder() != null) {
                return examineForLadder(inputNo, c, info, streams);
            }
            boolean listable = info.video().frames() <= MAX_LISTED_PACKETS;
            boolean segmenting = listable
                    && params.segmentSeconds() > 0
                    && Operations.fps(params.operations()).isEmpty()
                    && Splitter.worthSplitting(info, params.segmentSeconds());
            // One listing of the packets serves both: frame gaps for a variable rate, keyframes for cutting.
            PacketTimes packets = segmenting
                    ? prober.packetsForCutting(c.real(), info.video().codec())
                    : info.video().variableFrameRate() && listable ? prober.packets(c.real()) : null;
            double longestFrame = !info.video().variableFrameRate()
                    ? 0
                    : packets != null ? packets.longestFrameInterval() : UNLISTED_LONGEST_FRAME_SECONDS;
            Expected expected = expected(info, params.operations(), longestFrame, streams, params.preset());
            Splitter.Result split = null;
            String note = null;
            if (params.segmentSeconds() > 0) {
                if (Operations.fps(params.operations()).isPresent()) {
                    note = "encoded whole: a frame-rate change needs the whole timeline";
                } else if (!listable) {
                    note = String.format(
                            Locale.ROOT, "encoded whole: more than %,d frames to list for cutting", MAX_LISTED_PACKETS);
                } else {
                    split = splitter.split(c.real(), info, packets, params.segmentSeconds(), inputWorkDir(inputNo));
                    // The pieces are read from now on, not the source: it must still be the file that was probed.
                    Containers.checkSource(c.real());
                    note = split.split() ? longerSegments(info) : "encoded whole: " + split.wholeBecause();
                }
            }
            return new Examined(inputNo, c, null, info, expected, streams, split, note, null, null);
        } catch (BadMediaException e) {
            return Examined.rejected(inputNo, c, e.getMessage());
        } catch (ToolFailureException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // planning was stopped: not this input's doing
            }
            // A probe over its timeout, a command the system refused: this input cannot be planned,
            // and the job's other inputs must not be lost with it (a watch run would give them all back).
            return Examined.rejected(inputNo, c, "cannot be examined: " + e.getMessage());
        } catch (RuntimeException e) {
            // Whatever a strange file makes our parsing do, it is that input's problem, not the job's.
            return Examined.rejected(inputNo, c, "cannot be planned: " + e);
        }
    }

    /**
     * The ladder's rungs fitted to the source, and the source cut into chunks of about
     * {@code segmentSeconds} (whole when 0), each a work item encoded to every rung.
     */
    private Examined examineForLadder(int inputNo, Inputs.Candidate c, MediaInfo info, StreamPlan streams)
            throws BadMediaException, ToolFailureException {
        MediaInfo.Video v = info.video();
        if (streams.hdr() != null) {
            return Examined.rejected(
                    inputNo, c, "HDR source: ladders are 8-bit SDR and are not tone-mapped yet; use a 10-bit preset");
        }
        if (params.ladder().keyframesByCount() && v.variableFrameRate()) {
            return Examined.rejected(
                    inputNo,
                    c,
                    "variable frame rate source: AV1 rungs place keyframes by frame count, which needs a constant"
                            + " rate to put them every " + (int) Ladder.SEGMENT_SECONDS
                            + " s; use h264-ladder or hevc-ladder");
        }
        Ladder.Fit fit = params.ladder().fit(v.displayWidth(), v.displayHeight());
        if (fit.kept().isEmpty()) {
            return Examined.rejected(
                    inputNo,
                    c,
                    "every rung of the ladder is above the source's " + v.displayWidth() + "x" + v.displayHeight()
                            + ": rungs are never upscaled");
        }
        boolean listable = v.frames() <= MAX_LISTED_PACKETS;
        boolean cutting = listable && params.segmentSeconds() > 0;
        // Cutting: the pictures a decoder can start at, so each chunk is read from the last one before it.
        PacketTimes packets = cutting
                ? prober.packetsForCutting(c.real(), v.codec())
                : listable && v.variableFrameRate() ? prober.packets(c.real()) : null;
        double longestFrame = !v.variableFrameRate()
                ? 0
                : packets != null ? packets.longestFrameInterval() : UNLISTED_LONGEST_FRAME_SECONDS;
        Expected expected = expected(info, List.of(), longestFrame, streams, params.preset());
        List<Chunk> chunks = null;
        String note = null;
        if (cutting) {
            double[] times = packets.sortedTimes();
            chunks = Chunk.cut(
                    times,
                    Chunk.length(params.segmentSeconds()),
                    times[0] + v.streamDuration(),
                    packets.cleanCutTimes());
            if (chunks.stream().mapToLong(Chunk::frames).sum() != v.frames()) {
                // Packets the container lists but does not show (an edit list's): counts per chunk would be wrong.
                note = "encoded in one piece: the container's packets and frames disagree";
                chunks = null;
            }
        }
        if (chunks == null) {
            chunks = List.of(new Chunk(
                    0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, v.frames(), v.streamDuration(), 0));
        }
        return new Examined(inputNo, c, null, info, expected, streams, null, note, fit, chunks);
    }

    /** The report's word when a long video was cut into longer segments than asked, or null. */
    private String longerSegments(MediaInfo info) {
        double length = Splitter.segmentLength(info.video().streamDuration(), params.segmentSeconds());
        return length > params.segmentSeconds()
                ? String.format(
                        Locale.ROOT,
                        "segments of %.1f s instead of %.1f s: at most %,d segments per input",
                        length,
                        params.segmentSeconds(),
                        Splitter.MAX_SEGMENTS)
                : null;
    }

    /**
     * Whether inputs are queued unexamined ({@link #queue}) and examined by the item that encodes
     * them ({@link #examined}): for whole-file jobs, where nothing about the item depends on the
     * probe but its expectations. Segments and ladder chunks are cut from the probe, so those
     * inputs are examined while planning.
     */
    public boolean defers() {
        return params.segmentSeconds() == 0 && params.ladder() == null;
    }

    /**
     * An accepted input's output, named as {@link #plan} names it (call in input order), or a
     * rejection when no name can be claimed; {@link #queue} takes it.
     */
    public Named name(long job, int inputNo, Inputs.Candidate c) {
        try {
            return new Named(inputNo, c, outputName(job, c.file()), null);
        } catch (IOException ex) {
            return new Named(
                    inputNo,
                    c,
                    null,
                    rejected(
                            inputNo,
                            c,
                            c.file().toString(),
                            "cannot claim an output name in " + outputDir + ": " + ex.getMessage()));
        }
    }

    /** An input named for queueing: its output, or its rejection. */
    public record Named(int inputNo, Inputs.Candidate candidate, Path output, Planned rejection) {}

    /**
     * A named input, unexamined: one whole-file item with no expectations yet, which {@link
     * #examined} completes. Items are numbered in the order they are queued, and run in that
     * order: queue the largest files first, as the plan step would run the longest videos first.
     */
    public Planned queue(long job, Named n) {
        if (n.rejection() != null) {
            return n.rejection();
        }
        Inputs.Candidate c = n.candidate();
        int inputNo = n.inputNo();
        Path output = n.output();
        String source = c.file().toString();
        WorkItem item = item(
                0,
                job,
                inputNo,
                Part.WHOLE,
                0,
                c.real(),
                output,
                params.preset().id(),
                Operations.format(params.operations()),
                null,
                null,
                0,
                null);
        return new Planned(
                new WorkStore.InputRow(inputNo, c.given(), source, InputState.PLANNED, null, output.toString(), null),
                null,
                List.of(item),
                null);
    }

    /**
     * The plan of a queued input once examined: its whole-file item complete, with the number
     * and output it was queued with, or the input rejected. {@code e} examined {@code queued}'s source.
     */
    public Planned examined(long job, WorkItem queued, Examined e) {
        return plan(job, e, Path.of(queued.output()), queued.item());
    }

    /** Names the output and numbers the work items; called in input order. */
    public Planned plan(long job, Examined e) {
        if (e.rejection() != null) {
            return plan(job, e, null, 0);
        }
        Inputs.Candidate c = e.candidate();
        try {
            return plan(job, e, outputName(job, c.file()), 0);
        } catch (IOException ex) {
            return rejected(
                    e.inputNo(),
                    c,
                    c.file().toString(),
                    "cannot claim an output name in " + outputDir + ": " + ex.getMessage());
        }
    }

    /** @param wholeItem the whole-file item's number when it has one already (queued), else 0 */
    private Planned plan(long job, Examined e, Path output, int wholeItem) {
        Inputs.Candidate c = e.candidate();
        int inputNo = e.inputNo();
        String source = c.file() == null ? null : c.file().toString();
        if (e.rejection() != null) {
            return rejected(inputNo, c, source, e.rejection());
        }
        MediaInfo info = e.info();
        Expected expected = e.expected();
        String ops = Operations.format(params.operations());
        String preset = params.preset().id();
        List<WorkItem> items = new ArrayList<>();
        WorkItem standby = null;
        int segments = 0;
        Splitter.Result split = e.split();
        LadderOutput ladder = null;
        if (e.fit() != null) {
            Path dir = inputWorkDir(inputNo);
            for (Chunk chunk : e.chunks()) {
                items.add(item(
                        0,
                        job,
                        inputNo,
                        Part.LADDER_CHUNK,
                        chunk.index(),
                        c.real(),
                        new ChunkFiles(dir, chunk.index()).summary(),
                        preset,
                        "",
                        Expected.of(chunk.frames(), 0, chunk.seconds(), expected.tolerance(), true, false),
                        e.streams().map().pictureOnly(),
                        // Balancing: each rung costs about a whole encode at its size; a chunk counts as its length.
                        chunk.seconds(),
                        new LadderChunk(e.fit().kept(), chunk, params.quality(), params.minQuality())));
            }
            // AAC in MP4: what every HLS and DASH player takes, whatever the ladder's video codec.
            addAudio(job, inputNo, c, e, expected, dir, Preset.H264_720P, items);
            ladder = new LadderOutput(
                    params.ladder().text(),
                    null,
                    e.chunks().size(),
                    0,
                    List.of(),
                    e.fit().skipped(),
                    tools.vmaf());
        } else if (split != null && split.split()) {
            Path dir = inputWorkDir(inputNo);
            int factor = Operations.frameFactor(params.operations());
            for (Splitter.Segment s : split.segments()) {
                Expected piece = Expected.of(s.frames() * factor, 0, s.seconds(), expected.tolerance(), true, false);
                items.add(item(
                        0,
                        job,
                        inputNo,
                        Part.VIDEO_SEGMENT,
                        s.index(),
                        s.file(),
                        dir.resolve(String.format(
                                "enc-%03d.%s", s.index(), params.preset().extension())),
                        preset,
                        ops,
                        piece,
                        e.streams().map().pictureOnly(),
                        s.seconds(),
                        null));
            }
            addAudio(job, inputNo, c, e, expected, dir, params.preset(), items);
            segments = split.segments().size();
            standby = whole(0, job, e, output);
        } else {
            items.add(whole(wholeItem, job, e, output));
        }
        String unmeasured = unmeasured(e);
        if (ladder == null && params.quality() && unmeasured == null && !params.dryRun()) {
            QualityCheck check = new QualityCheck(params.minQuality());
            items.replaceAll(i -> i.part() == Part.AUDIO ? i : i.withQuality(check));
            standby = standby == null ? null : standby.withQuality(check);
        }
        InputDetail detail = new InputDetail(
                InputDetail.Source.of(info),
                expected,
                segments,
                null,
                ladder == null ? e.streams().fates() : ladderFates(e.streams().fates()),
                ladder == null ? e.streams().chapters() : 0,
                ladder,
                unmeasured);
        return new Planned(
                new WorkStore.InputRow(
                        inputNo, c.given(), source, InputState.PLANNED, e.note(), output.toString(), null),
                detail,
                items,
                standby);
    }

    /**
     * Why this input's output cannot be measured against its source when quality is asked for:
     * what an operation or a tone map does to the picture on purpose would count as loss. A
     * scale does not: the output is scaled back to the source's size to be measured, as a
     * ladder's rungs are.
     */
    private String unmeasured(Examined e) {
        if (!params.quality() || params.ladder() != null || params.dryRun()) {
            return null;
        }
        for (Operation op : params.operations()) {
            if (!(op instanceof Operation.Scale
                    || op instanceof Operation.Loudness
                    || op instanceof Operation.Thumbnail)) {
                return "quality not measured: " + op.spec() + " changes the picture on purpose";
            }
        }
        if (e.streams().hdr() != null && !params.preset().tenBit()) {
            return "quality not measured: the HDR source is tone-mapped to SDR";
        }
        return null;
    }

    /** A ladder carries the picture (as its rungs), the sound and text subtitles (as WebVTT); no chapters. */
    private List<StreamPlan.Fate> ladderFates(List<StreamPlan.Fate> fates) {
        return fates.stream()
                .map(f -> switch (f.type()) {
                    case "video" ->
                        f.fate().equals("dropped")
                                ? f
                                : new StreamPlan.Fate(
                                        f.index(),
                                        f.type(),
                                        f.codec(),
                                        f.language(),
                                        f.title(),
                                        "converted",
                                        params.ladder().text());
                    case "subtitle" ->
                        f.fate().equals("dropped")
                                ? f
                                : new StreamPlan.Fate(
                                        f.index(), f.type(), f.codec(), f.language(), f.title(), "converted", "webvtt");
                    default -> f;
                })
                .toList();
    }

    /** The input's sound as one item of its own, when it has any: all its tracks, encoded once. */
    private void addAudio(
            long job,
            int inputNo,
            Inputs.Candidate c,
            Examined e,
            Expected expected,
            Path dir,
            Preset preset,
            List<WorkItem> items) {
        if (e.streams().audio().isEmpty()) {
            return;
        }
        // Audio is light work; counted as a tenth of its length for balancing.
        items.add(item(
                0,
                job,
                inputNo,
                Part.AUDIO,
                0,
                c.real(),
                dir.resolve("audio." + preset.extension()),
                preset.id(),
                Operations.format(params.operations()),
                new Expected(
                        0, 0, expected.seconds(), expected.tolerance(), false, expected.audioStreams(), 0, 0, null),
                new StreamPlan.Map(e.streams().audio(), List.of(), null),
                expected.seconds() / 10,
                null));
    }

    /** Where an input's pieces go while it is segmented; assemble joins them from here. */
    Path inputWorkDir(int inputNo) {
        return workDir.resolve("in-" + inputNo);
    }

    private Planned rejected(int inputNo, Inputs.Candidate c, String source, String reason) {
        return new Planned(
                new WorkStore.InputRow(inputNo, c.given(), source, InputState.REJECTED, reason, null, null),
                null,
                List.of(),
                null);
    }

    /** The input's whole-file item, as examined: the file itself, to the job's preset. */
    private WorkItem whole(int number, long job, Examined e, Path output) {
        return item(
                number,
                job,
                e.inputNo(),
                Part.WHOLE,
                0,
                e.candidate().real(),
                output,
                params.preset().id(),
                Operations.format(params.operations()),
                e.expected(),
                e.streams().map(),
                e.expected().seconds(),
                null);
    }

    /** @param number the item's number when it has one already, else 0 for the next */
    private WorkItem item(
            int number,
            long job,
            int inputNo,
            Part part,
            int segment,
            Path source,
            Path output,
            String preset,
            String ops,
            Expected expected,
            StreamPlan.Map streams,
            double seconds,
            LadderChunk ladder) {
        int n = number > 0 ? number : ++nextItem;
        Path log = workDir.resolve(TranscodeJob.LOGS).resolve("item-" + n + ".log");
        return new WorkItem(
                job,
                n,
                inputNo,
                part,
                segment,
                source.toString(),
                output.toString(),
                preset,
                ops,
                expected,
                streams,
                log.toString(),
                seconds,
                params.dryRun(),
                ladder,
                null);
    }

    /**
     * What the output must measure: the source's frames (twice as many when deinterlacing to
     * fields; its duration times the new rate when the rate changes), its duration within one
     * frame, and the audio tracks, subtitle tracks and chapters the stream plan keeps.
     */
    static Expected expected(
            MediaInfo info, List<Operation> ops, double longestFrame, StreamPlan streams, Preset preset) {
        MediaInfo.Video v = info.video();
        double seconds = v.streamDuration();
        var fps = Operations.fps(ops);
        long frames;
        int tolerance;
        double rate;
        if (fps.isPresent()) {
            rate = fps.get().rate();
            frames = Math.round(seconds * rate);
            tolerance = 1; // the fps filter may round the last frame either way
        } else {
            int factor = Operations.frameFactor(ops);
            frames = v.frames() * factor;
            tolerance = 0;
            rate = v.frameRate() * factor;
        }
        double oneFrame = fps.isEmpty() && longestFrame > 0 ? longestFrame : rate > 0 ? 1.0 / rate : v.frameSeconds();
        String transfer =
                streams.hdr() == null ? null : preset.tenBit() ? streams.hdr().transfer() : "bt709";
        return new Expected(
                frames,
                tolerance,
                seconds,
                oneFrame + 0.001,
                true,
                streams.audio().size(),
                streams.subtitles().size(),
                streams.chapters(),
                transfer);
    }

    /** Follows the picture size through the operations; says why one does not fit, or null. */
    static String fitProblem(List<Operation> ops, int width, int height) {
        int w = width;
        int h = height;
        for (Operation op : ops) {
            if (op instanceof Operation.Scale s) {
                int nw = s.width() != null ? s.width() : even((double) w * s.height() / h);
                int nh = s.height() != null ? s.height() : even((double) h * s.width() / w);
                w = nw;
                h = nh;
            } else if (op instanceof Operation.Crop c) {
                int x = c.x() != null ? c.x() : (w - c.width()) / 2;
                int y = c.y() != null ? c.y() : (h - c.height()) / 2;
                if (c.width() > w || c.height() > h || x < 0 || y < 0 || x + c.width() > w || y + c.height() > h) {
                    return "crop " + c.width() + "x" + c.height()
                            + (c.x() != null || c.y() != null ? " at " + x + "," + y : "") + " does not fit the " + w
                            + "x" + h + " picture";
                }
                w = c.width();
                h = c.height();
            }
        }
        return null;
    }

    private static int even(double v) {
        int n = (int) Math.round(v);
        return Math.max(2, n - (n % 2));
    }

    /** {@code <name>-<preset>.<ext>} (a ladder: {@code <name>-<ladder>}), or numbered: unique within the job and among every other job's outputs. */
    private Path outputName(long job, Path source) throws IOException {
        if (names == null) {
            names = new OutputNames(outputDir, claims, job);
        }
        String name = source.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        if (params.ladder() != null) {
            // A folder of playlists and segments: {@code <name>-h264-ladder/}.
            String ladder = params.ladder().name();
            return names.next(stem, "-" + (ladder.equals("custom") ? "ladder" : ladder));
        }
        return names.next(
                stem, "-" + params.preset().id() + "." + params.preset().extension());
    }
}
