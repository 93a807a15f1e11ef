package io.vidbatch.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A ladder made the way jobs make it (chunks on their own, then packaged), checked with ffmpeg. */
class LadderPackagingTest {

    static Path dir;
    static Path source;
    static Packager.Packaged packaged;
    static List<List<Quality.Part>> parts = new ArrayList<>();
    static List<Chunk> chunks;
    static final Ladder LADDER = Ladder.parse("360:h264:26:1M,240:h264:28:500k,720:h264:23:3M");

    /** 14 s at a variable rate (30 fps, then 60 fps from 6 s), two audio tracks. */
    @BeforeAll
    static void makeLadder() throws Exception {
        dir = Samples.scratch();
        source = dir.resolve("source.mp4");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=640x360:rate=60",
                "-f",
                "lavfi",
                "-i",
                "sine=f=440",
                "-f",
                "lavfi",
                "-i",
                "sine=f=660",
                "-t",
                "14",
                "-map",
                "0:v",
                "-map",
                "1:a",
                "-map",
                "2:a",
                "-vf",
                "select='gte(t\\,6)+not(mod(n\\,2))'",
                "-fps_mode",
                "vfr",
                "-metadata:s:a:0",
                "language=eng",
                "-metadata:s:a:1",
                "language=fra",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-g",
                "45",
                "-c:a",
                "aac",
                "-shortest",
                source.toString());
        MediaInfo info = new Prober(Samples.TOOLS).probe(source);
        PacketTimes packets = new Prober(Samples.TOOLS).packetsForCutting(source, "h264");
        double[] times = packets.sortedTimes();
        chunks = Chunk.cut(times, 8, times[0] + info.video().streamDuration(), packets.cleanCutTimes());
        Ladder.Fit fit = LADDER.fit(640, 360);
        List<Packager.RungChunks> rungs = new ArrayList<>();
        fit.kept().forEach(f -> rungs.add(new Packager.RungChunks(f, new ArrayList<>())));
        fit.kept().forEach(f -> parts.add(new ArrayList<>()));
        Path work = Files.createDirectories(dir.resolve("work"));
        for (Chunk c : chunks) {
            ChunkFiles files = new ChunkFiles(work, c.index());
            ChunkEncoder.Result r = new ChunkEncoder(Samples.TOOLS)
                    .encode(
                            new ChunkEncoder.Request(
                                    source, fit.kept(), c, files, work.resolve("chunk-" + c.index() + ".log"), true),
                            Progress.Listener.IGNORE,
                            () -> false);
            for (int i = 0; i < r.renditions().size(); i++) {
                rungs.get(i).chunks().add(new Joiner.Piece(r.renditions().get(i).file(), c.seconds()));
                parts.get(i).add(r.renditions().get(i).quality());
            }
        }
        Path audio = dir.resolve("audio.mp4");
        Samples.ffmpeg("-i", source.toString(), "-map", "0:a", "-c:a", "aac", audio.toString());
        packaged = new Packager(Samples.TOOLS)
                .packageLadder(
                        rungs,
                        audio,
                        List.of(new Packager.AudioTrack("eng", null), new Packager.AudioTrack("fra", null)),
                        source,
                        List.of(),
                        info.video().frameRate(),
                        dir.resolve("out"),
                        work,
                        work.resolve("package.log"));
    }

    @Test
    void theRungAboveTheSourceIsSkippedAndSaidSo() {
        Ladder.Fit fit = LADDER.fit(640, 360);
        assertThat(fit.kept()).extracting(Ladder.Fitted::id).containsExactly("h264-360p", "h264-240p");
        assertThat(fit.skipped()).singleElement().asString().contains("720:h264:23:3M", "not upscaled");
        assertThat(fit.kept().get(1).width()).isEqualTo(426);
    }

    @Test
    void chunksHoldEveryFrameOnce() throws Exception {
        assertThat(chunks).hasSize(2);
        // The second chunk is read from the keyframe before it, not from the beginning.
        assertThat(chunks.get(1).seek()).isBetween(7.0, 8.0);
        assertThat(chunks.stream().mapToLong(Chunk::frames).sum()).isEqualTo(Samples.videoFrames(source));
    }

    @Test
    void everyRenditionHasEveryFrameAndKeyframesAtTheSameTimes() throws Exception {
        long frames = Samples.videoFrames(source);
        List<String> keyframes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path whole = rendition(i);
            assertThat(Samples.videoFrames(whole)).as("rung " + i).isEqualTo(frames);
            keyframes.add(keyframeTimes(whole));
        }
        assertThat(keyframes.get(0)).isEqualTo(keyframes.get(1));
        // One every 4 s, the chunk's first frame among them: 0, 4, 8 (chunk 2 starts at 8), 12.
        assertThat(keyframes.get(0).split(" ")).hasSize(4);
    }

    @Test
    void playlistsNameEveryVariantWithItsAttributes() throws Exception {
        String master = Files.readString(packaged.dir().resolve(Packager.MASTER));
        assertThat(master).contains("LANGUAGE=\"eng\"", "LANGUAGE=\"fra\"", "RESOLUTION=640x360", "RESOLUTION=426x240");
        for (String line :
                master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF")).toList()) {
            assertThat(line).contains("AVERAGE-BANDWIDTH=", "FRAME-RATE=", "CODECS=\"avc1.", ",mp4a.40.2\"");
        }
        assertThat(Files.readString(packaged.dir().resolve("media_0.m3u8"))).doesNotContain("PROGRAM-DATE-TIME");
        assertThat(Files.readString(packaged.dir().resolve(Packager.MANIFEST))).contains("lang=\"fra\"");
    }

    @Test
    void qualityFromChunksEqualsFfmpegsOwnFiltersOverTheWholeRendition() throws Exception {
        for (int i = 0; i < 2; i++) {
            Quality q = Quality.of(parts.get(i));
            String out = Samples.ffmpegOutput(
                    "-i",
                    rendition(i).toString(),
                    "-i",
                    source.toString(),
                    "-lavfi",
                    "[0:v]settb=1,setpts=N[d];[1:v]format=yuv420p,settb=1,setpts=N[s];[d][s]scale2ref=flags=bicubic[u][r];"
                            + "[u]format=yuv420p,split[ua][ub];[r]split[ra][rb];[ua][ra]psnr;[ub][rb]ssim",
                    "-f",
                    "null",
                    "-");
            assertThat(q.psnr()).isCloseTo(figure(out, "average:"), within(0.01));
            assertThat(Quality.decibels(q.ssim())).isCloseTo(Quality.decibels(figure(out, "All:")), within(0.01));
            assertThat(q.frames()).isEqualTo(Samples.videoFrames(source));
            assertThat(q.psnrMin()).isLessThanOrEqualTo(q.psnrP1());
            assertThat(q.psnrP1()).isLessThan(q.psnr() + 5);
        }
    }

    private static double figure(String log, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "([0-9.]+)").matcher(log);
        assertThat(m.find()).as(label + " in " + log).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** A rung's init segment and media segments back to back: one fragmented MP4 ffprobe reads. */
    static Path rendition(int rung) throws IOException {
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

    private static String keyframeTimes(Path video) throws Exception {
        return Samples.ffprobeOutput(
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-skip_frame",
                        "nokey",
                        "-show_entries",
                        "frame=pts_time",
                        "-of",
                        "csv=p=0",
                        video.toString())
                .lines()
                .map(l -> l.replace(",", "").strip())
                .filter(l -> !l.isEmpty())
                .distinct() // a frame with side data is listed twice
                .collect(java.util.stream.Collectors.joining(" "));
    }
}
