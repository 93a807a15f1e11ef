package io.vidbatch.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ladder with an AV1 rung beside an H.264 one, made in two chunks and packaged: SVT-AV1 here
 * takes keyframes only as an interval in frames, so both rungs must still switch on the same
 * frames.
 */
class Av1LadderTest {

    static Path dir;
    static Path source;
    static Packager.Packaged packaged;
    static List<Quality.Part> av1Quality = new ArrayList<>();
    static final Ladder LADDER = Ladder.parse("360:av1:36:600k,240:h264:26:500k");

    /** 14 s at a constant 25 fps: chunks of 8 s and 6 s. */
    @BeforeAll
    static void makeLadder() throws Exception {
        dir = Samples.scratch();
        source = dir.resolve("source.mp4");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=640x360:rate=25",
                "-f",
                "lavfi",
                "-i",
                "sine=f=440",
                "-t",
                "14",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-g",
                "50",
                "-c:a",
                "aac",
                source.toString());
        MediaInfo info = new Prober(Samples.TOOLS).probe(source);
        PacketTimes packets = new Prober(Samples.TOOLS).packetsForCutting(source, "h264");
        double[] times = packets.sortedTimes();
        List<Chunk> chunks = Chunk.cut(times, 8, times[0] + info.video().streamDuration(), packets.cleanCutTimes());
        assertThat(chunks).hasSize(2);
        Ladder.Fit fit = LADDER.fit(640, 360);
        List<Packager.RungChunks> rungs = new ArrayList<>();
        fit.kept().forEach(f -> rungs.add(new Packager.RungChunks(f, new ArrayList<>())));
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
            }
            av1Quality.add(r.renditions().get(0).quality());
        }
        Path audio = dir.resolve("audio.mp4");
        Samples.ffmpeg("-i", source.toString(), "-map", "0:a", "-c:a", "aac", audio.toString());
        packaged = new Packager(Samples.TOOLS)
                .packageLadder(
                        rungs,
                        audio,
                        List.of(new Packager.AudioTrack("eng", null)),
                        source,
                        List.of(),
                        info.video().frameRate(),
                        dir.resolve("out"),
                        work,
                        work.resolve("package.log"));
    }

    @Test
    void bothRungsHaveEveryFrameAndKeyframesOnTheSameFramesEveryFourSeconds() throws Exception {
        List<String> keyframes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path whole = rendition(i);
            assertThat(Samples.videoFrames(whole)).as("rung " + i).isEqualTo(350);
            keyframes.add(keyframeTimes(whole));
        }
        assertThat(keyframes.get(0)).isEqualTo("0.000000 4.000000 8.000000 12.000000");
        assertThat(keyframes.get(1)).isEqualTo(keyframes.get(0));
    }

    @Test
    void thePlaylistsNameTheAv1VariantWithItsCodec() throws Exception {
        String master = Files.readString(packaged.dir().resolve(Packager.MASTER));
        assertThat(master).contains("CODECS=\"av01.0.", "CODECS=\"avc1.", "RESOLUTION=640x360");
    }

    @Test
    void theAv1RenditionIsMeasuredOverEveryFrame() {
        Quality q = Quality.of(av1Quality);
        assertThat(q.frames()).isEqualTo(350);
        assertThat(q.psnr()).isBetween(25.0, 60.0);
        assertThat(q.ssim()).isBetween(0.8, 1.0);
    }

    /** A rung's init segment and media segments back to back: one fragmented MP4 ffprobe reads. */
    private static Path rendition(int rung) throws IOException {
        Path whole = dir.resolve("rung-" + rung + ".mp4");
        try (OutputStream out = Files.newOutputStream(whole)) {
            Files.copy(packaged.dir().resolve("init-" + rung + ".m4s"), out);
            for (int n = 1; Files.exists(segment(rung, n)); n++) {
                Files.copy(segment(rung, n), out);
            }
        }
        return whole;
    }

    private static Path segment(int rung, int n) {
        return packaged.dir().resolve(String.format("seg-%d-%05d.m4s", rung, n));
    }

    /** By the packets' key flags: the AV1 decoder ignores {@code -skip_frame nokey}. */
    private static String keyframeTimes(Path video) throws Exception {
        return Samples.ffprobeOutput(
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "packet=pts_time,flags",
                        "-of",
                        "csv=p=0",
                        video.toString())
                .lines()
                .filter(l -> l.contains(",K"))
                .map(l -> l.substring(0, l.indexOf(',')))
                .collect(Collectors.joining(" "));
    }
}
