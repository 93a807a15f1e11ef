package io.vidbatch.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    static LadderRun run;
    static Packager.Packaged packaged;
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
        run = LadderRun.make(dir, source, LADDER, 8, List.of(new Packager.AudioTrack("eng", null)));
        assertThat(run.chunks()).hasSize(2);
        packaged = run.packaged();
    }

    @Test
    void bothRungsHaveEveryFrameAndKeyframesOnTheSameFramesEveryFourSeconds() throws Exception {
        List<String> keyframes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path whole = run.rendition(i);
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
        Quality q = Quality.of(run.parts().get(0));
        assertThat(q.frames()).isEqualTo(350);
        assertThat(q.psnr()).isBetween(25.0, 60.0);
        assertThat(q.ssim()).isBetween(0.8, 1.0);
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
