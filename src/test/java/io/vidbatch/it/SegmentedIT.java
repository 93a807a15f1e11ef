package io.vidbatch.it;

import io.vidbatch.media.Samples;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** Segmented mode gives the same output as whole-file mode: same frames, duration and quality. */
@MicroShedTest
class SegmentedIT {

    @Test
    void sixSecondSegmentsOnTwoWorkersMatchTheWholeFileOutput() throws Exception {
        String clip = "samples/long-720p-30s.mp4";
        long whole = Jobs.submit(Jobs.body("inputs", List.of(clip), "outputDir", Jobs.dir("it-whole"), "workers", 2));
        long segmented = Jobs.submit(Jobs.body(
                "inputs", List.of(clip), "outputDir", Jobs.dir("it-segmented"), "workers", 2, "segmentSeconds", 6));
        JsonObject w = Jobs.waitForEnd(whole, Duration.ofMinutes(3));
        JsonObject s = Jobs.waitForEnd(segmented, Duration.ofMinutes(3));
        assertThat(w.getString("exitStatus")).startsWith("ALL DONE");
        assertThat(s.getString("exitStatus")).startsWith("ALL DONE");

        // 30 s cut every 6 s at keyframes: 5 video pieces and the audio, spread over both partitions.
        assertThat(s.getJsonArray("items")).hasSize(6);
        assertThat(s.getJsonArray("items").stream()
                        .map(i -> i.asJsonObject().getInt("partition"))
                        .distinct())
                .hasSize(2);
        assertThat(s.getJsonArray("inputs").getJsonObject(0).getInt("segments")).isEqualTo(5);

        Path source = Jobs.sample("long-720p-30s.mp4");
        Path wholeOut = Jobs.outputs().resolve(Jobs.dir("it-whole")).resolve("long-720p-30s-h264-720p.mp4");
        Path segOut = Jobs.outputs().resolve(Jobs.dir("it-segmented")).resolve("long-720p-30s-h264-720p.mp4");
        Probe src = Probe.of(source);
        Probe pw = Probe.of(wholeOut);
        Probe ps = Probe.of(segOut);
        assertThat(ps.frames()).isEqualTo(pw.frames()).isEqualTo(src.frames());
        assertThat(ps.videoSeconds()).isCloseTo(pw.videoSeconds(), offset(1 / 30.0));
        assertThat(ps.audio()).isTrue();

        double psnrWhole = Samples.psnr(wholeOut, source);
        double psnrSegmented = Samples.psnr(segOut, source);
        System.out.printf(
                "segmented: %d frames (whole %d, source %d), %.3f s (whole %.3f s), PSNR %.3f dB (whole %.3f dB)%n",
                ps.frames(), pw.frames(), src.frames(), ps.videoSeconds(), pw.videoSeconds(), psnrSegmented, psnrWhole);
        assertThat(psnrSegmented)
                .as("PSNR segmented vs whole (%.3f dB)", psnrWhole)
                .isCloseTo(psnrWhole, offset(0.2));
        // The joined pieces and the separate audio are cleaned up once assembled.
        assertThat(Jobs.outputs().resolve(".vidbatch-work/" + segmented + "/in-1"))
                .doesNotExist();
    }
}
