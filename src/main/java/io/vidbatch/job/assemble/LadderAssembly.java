package io.vidbatch.job.assemble;

import io.vidbatch.job.InputDetail;
import io.vidbatch.job.LadderOutput;
import io.vidbatch.job.TranscodeJob;
import io.vidbatch.media.BadMediaException;
import io.vidbatch.media.ChunkFiles;
import io.vidbatch.media.Joiner;
import io.vidbatch.media.Ladder;
import io.vidbatch.media.Packager;
import io.vidbatch.media.Part;
import io.vidbatch.media.Quality;
import io.vidbatch.media.Thumbnailer;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.media.Tools;
import io.vidbatch.store.WorkStore;
import io.vidbatch.work.LadderChunk;
import io.vidbatch.work.WorkJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A ladder input's last step, once every chunk and its audio are done: the chunks of each rung
 * packaged into one folder of playlists and segments, and each rendition's quality put together
 * from its chunks' measurements.
 */
final class LadderAssembly {

    private final Tools tools;

    LadderAssembly(Tools tools) {
        this.tools = tools;
    }

    private static final Logger LOG = Logger.getLogger(LadderAssembly.class.getName());
    static final int STILL_WIDTH = 480;

    record Assembled(InputDetail.Output output, LadderOutput ladder) {}

    /** The worst frame as a JPEG in the ladder's folder; its name, or null when it could not be taken. */
    private String still(String id, Worst worst, Packager.RungChunks rung, Path folder) throws ToolFailureException {
        String image = "worst-" + id + ".jpg";
        try {
            new Thumbnailer(tools)
                    .frame(rung.chunks().get(worst.chunk).file(), worst.inChunk, STILL_WIDTH, folder.resolve(image));
            return image;
        } catch (BadMediaException e) {
            // A still that cannot be taken is logged; it does not undo a verified ladder.
            LOG.warning("no still of " + id + "'s worst frame: " + e.getMessage());
            return null;
        }
    }

    /** The frame with the lowest PSNR: its number in the rendition, its chunk and its number there. */
    record Worst(long frame, int chunk, long inChunk) {
        static Worst of(List<Quality.Part> chunks) {
            Worst worst = null;
            double lowest = Double.POSITIVE_INFINITY;
            long before = 0;
            for (int c = 0; c < chunks.size(); c++) {
                double[] psnr = chunks.get(c).psnrFrames();
                for (int f = 0; f < psnr.length; f++) {
                    if (psnr[f] < lowest) {
                        lowest = psnr[f];
                        worst = new Worst(before + f, c, f);
                    }
                }
                before += psnr.length;
            }
            return worst;
        }
    }

    Assembled assemble(
            WorkStore.InputRow input,
            InputDetail detail,
            List<WorkStore.ItemRow> items,
            double encodeSeconds,
            Path work)
            throws BadMediaException, ToolFailureException {
        List<WorkStore.ItemRow> chunks =
                items.stream().filter(i -> i.part() == Part.LADDER_CHUNK).toList();
        List<Ladder.Fitted> rungs = chunks.get(0).spec().ladder().rungs();
        List<Packager.RungChunks> packaged = new ArrayList<>();
        List<List<Quality.Part>> quality = new ArrayList<>();
        for (Ladder.Fitted f : rungs) {
            packaged.add(new Packager.RungChunks(f, new ArrayList<>()));
            quality.add(new ArrayList<>());
        }
        for (WorkStore.ItemRow row : chunks) {
            LadderChunk l = row.spec().ladder();
            Path summary = Path.of(row.spec().output());
            ChunkFiles files = new ChunkFiles(summary.getParent(), l.chunk().index());
            List<WorkJson.ChunkRendition> renditions;
            try {
                renditions = WorkJson.readChunk(Files.readString(summary));
                for (int i = 0; i < rungs.size(); i++) {
                    WorkJson.ChunkRendition r = renditions.get(i);
                    packaged.get(i)
                            .chunks()
                            .add(new Joiner.Piece(Path.of(r.file()), l.chunk().seconds()));
                    if (r.psnr() != null) {
                        quality.get(i)
                                .add(Quality.read(
                                        files.quality(i).psnr(),
                                        files.quality(i).ssim(),
                                        r.psnr(),
                                        r.ssim()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new ToolFailureException(
                        "ladder chunk " + l.chunk().index() + ": its results cannot be read: " + e, e);
            }
        }
        Path audio = items.stream()
                .filter(i -> i.part() == Part.AUDIO)
                .map(i -> Path.of(i.spec().output()))
                .findFirst()
                .orElse(null);
        List<Packager.AudioTrack> tracks = audio == null
                ? List.of()
                : detail.streams().stream()
                        .filter(s -> s.type().equals("audio") && !s.fate().equals("dropped"))
                        .map(s -> new Packager.AudioTrack(s.language() == null ? "und" : s.language(), s.title()))
                        .toList();
        List<Packager.TextTrack> texts = detail.streams().stream()
                .filter(s -> s.type().equals("subtitle") && s.fate().equals("converted"))
                .map(s -> new Packager.TextTrack(s.index(), s.language(), s.title()))
                .toList();
        Path output = Path.of(input.output());
        Path dir = Path.of(chunks.get(0).spec().output()).getParent();
        Packager.Packaged p = new Packager(tools)
                .packageLadder(
                        packaged,
                        audio,
                        tracks,
                        Path.of(input.source()),
                        texts,
                        detail.source().frameRate(),
                        output,
                        dir,
                        work.resolve(TranscodeJob.LOGS).resolve("package-" + input.input() + ".log"));
        List<LadderOutput.Rendition> done = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < rungs.size(); i++) {
            Packager.Variant v = p.variants().get(i);
            bytes += v.bytes();
            boolean measured = quality.get(i).size() == chunks.size();
            Worst worst = measured ? Worst.of(quality.get(i)) : null;
            String image = measured ? still(v.id(), worst, packaged.get(i), output) : null;
            done.add(new LadderOutput.Rendition(
                    v.id(),
                    rungs.get(i).rung().spec(),
                    v.width(),
                    v.height(),
                    v.codecs(),
                    v.bytes(),
                    v.peakBits(),
                    v.averageBits(),
                    measured ? Quality.of(quality.get(i)) : null,
                    measured ? worst.frame : -1,
                    image));
        }
        Ladder.Fitted top = rungs.get(0);
        long frames = detail.expected().frames();
        List<String> workers =
                items.stream().map(i -> i.result().worker()).distinct().toList();
        InputDetail.Output out = InputDetail.Output.of(
                output.toString(),
                bytes,
                top.width(),
                top.height(),
                frames,
                p.seconds(),
                audio != null,
                encodeSeconds,
                encodeSeconds > 0 ? frames / encodeSeconds : 0,
                workers);
        return new Assembled(out, detail.ladder().packaged(output.toString(), p.segments(), done));
    }
}
