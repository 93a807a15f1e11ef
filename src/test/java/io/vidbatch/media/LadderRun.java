package io.vidbatch.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A ladder made the way a job makes it, with real ffmpeg: the source cut into chunks, each chunk
 * encoded to every rung and measured on its own, then the renditions packaged with the source's
 * audio.
 *
 * @param parts each kept rung's chunks' measurements, in chunk order
 */
record LadderRun(Path dir, List<Chunk> chunks, List<List<Quality.Part>> parts, Packager.Packaged packaged) {

    static LadderRun make(Path dir, Path source, Ladder ladder, double chunkSeconds, List<Packager.AudioTrack> audio)
            throws Exception {
        MediaInfo info = new Prober(Samples.TOOLS).probe(source);
        PacketTimes packets =
                new Prober(Samples.TOOLS).packetsForCutting(source, info.video().codec());
        double[] times = packets.sortedTimes();
        List<Chunk> chunks =
                Chunk.cut(times, chunkSeconds, times[0] + info.video().streamDuration(), packets.cleanCutTimes());
        Ladder.Fit fit = ladder.fit(info.video().displayWidth(), info.video().displayHeight());
        List<Packager.RungChunks> rungs = new ArrayList<>();
        List<List<Quality.Part>> parts = new ArrayList<>();
        for (Ladder.Fitted f : fit.kept()) {
            rungs.add(new Packager.RungChunks(f, new ArrayList<>()));
            parts.add(new ArrayList<>());
        }
        Path work = Files.createDirectories(dir.resolve("work"));
        for (Chunk c : chunks) {
            ChunkEncoder.Result r = new ChunkEncoder(Samples.TOOLS)
                    .encode(
                            new ChunkEncoder.Request(
                                    source,
                                    fit.kept(),
                                    c,
                                    new ChunkFiles(work, c.index()),
                                    work.resolve("chunk-" + c.index() + ".log"),
                                    true),
                            Progress.Listener.IGNORE,
                            () -> false);
            for (int i = 0; i < r.renditions().size(); i++) {
                rungs.get(i).chunks().add(new Joiner.Piece(r.renditions().get(i).file(), c.seconds()));
                parts.get(i).add(r.renditions().get(i).quality());
            }
        }
        Path sound = dir.resolve("audio.mp4");
        Samples.ffmpeg("-i", source.toString(), "-map", "0:a", "-c:a", "aac", sound.toString());
        Packager.Packaged packaged = new Packager(Samples.TOOLS)
                .packageLadder(
                        rungs,
                        sound,
                        audio,
                        source,
                        List.of(),
                        info.video().frameRate(),
                        dir.resolve("out"),
                        work,
                        work.resolve("package.log"));
        return new LadderRun(dir, chunks, parts, packaged);
    }

    /** A rung's init segment and media segments back to back: one fragmented MP4 ffprobe reads. */
    Path rendition(int rung) throws IOException {
        Path whole = dir.resolve("rung-" + rung + ".mp4");
        try (OutputStream out = Files.newOutputStream(whole)) {
            Files.copy(packaged.dir().resolve("init-" + rung + ".m4s"), out);
            for (int n = 1; Files.exists(segment(rung, n)); n++) {
                Files.copy(segment(rung, n), out);
            }
        }
        return whole;
    }

    private Path segment(int rung, int n) {
        return packaged.dir().resolve(String.format("seg-%d-%05d.m4s", rung, n));
    }
}
