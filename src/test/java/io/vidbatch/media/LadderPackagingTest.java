package io.vidbatch.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A ladder made the way jobs make it (chunks on their own, then packaged), checked with ffmpeg. */
class LadderPackagingTest {

    static Path dir;
    static Path source;
    static LadderRun run;
    static Packager.Packaged packaged;
    static List<List<Quality.Part>> parts;
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
        run = LadderRun.make(
                dir,
                source,
                LADDER,
                8,
                List.of(new Packager.AudioTrack("eng", null), new Packager.AudioTrack("fra", null)));
        packaged = run.packaged();
        parts = run.parts();
        chunks = run.chunks();
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
            Samples.Measured ffmpeg = Samples.measuredByFfmpeg(rendition(i), source);
            assertThat(q.psnr()).isCloseTo(ffmpeg.psnr(), within(0.01));
            assertThat(Quality.decibels(q.ssim())).isCloseTo(ffmpeg.ssimDb(), within(0.01));
            assertThat(q.frames()).isEqualTo(Samples.videoFrames(source));
            assertThat(q.psnrMin()).isLessThanOrEqualTo(q.psnrP1());
            assertThat(q.psnrP1()).isLessThan(q.psnr() + 5);
        }
    }

    static Path rendition(int rung) throws IOException {
        return run.rendition(rung);
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
