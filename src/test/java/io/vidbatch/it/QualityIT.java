package io.vidbatch.it;

import io.vidbatch.media.Samples;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Single-file outputs measured against their source ({@code quality=true}): a whole encode and a
 * segmented one, whose pieces' figures are merged; the {@code minQuality} gate; and an operation
 * that changes the picture on purpose, which is said rather than measured.
 */
@MicroShedTest
class QualityIT {

    /** 8 s: encoded whole with segmentSeconds 10. */
    private static final String WHOLE = "samples/talk-720p-23976.mp4";
    /** 30 s: three segments. */
    private static final String SEGMENTED = "samples/long-720p-30s.mp4";

    @Test
    void wholeAndSegmentedOutputsCarryWhatFfmpegsOwnFiltersMeasure() throws Exception {
        JsonObject job = run(Jobs.dir("it-quality"), "quality", true);
        assertThat(job.getString("status")).isEqualTo("COMPLETED");
        for (JsonObject in : job.getJsonArray("inputs").getValuesAs(JsonObject.class)) {
            String given = in.getString("given");
            assertThat(in.getInt("segments")).as(given).isEqualTo(given.equals(SEGMENTED) ? 3 : 0);
            JsonObject output = in.getJsonObject("output");
            JsonObject q = output.getJsonObject("quality");
            assertThat(output.getString("vmaf")).startsWith("not measured: ");
            Samples.Measured ffmpeg = Samples.measuredByFfmpeg(
                    Path.of(output.getString("path")), Jobs.inputs().resolve(given));
            assertThat(q.getJsonNumber("psnr").doubleValue()).as(given).isCloseTo(ffmpeg.psnr(), within(0.01));
            assertThat(Samples.ssimDb(q.getJsonNumber("ssim").doubleValue()))
                    .as(given)
                    .isCloseTo(ffmpeg.ssimDb(), within(0.01));
            assertThat(q.getJsonNumber("frames").longValue())
                    .isEqualTo(Samples.videoFrames(Path.of(output.getString("path"))));
            assertThat(q.getJsonNumber("psnrMin").doubleValue())
                    .isLessThanOrEqualTo(q.getJsonNumber("psnrP1").doubleValue());
            assertThat(q.getJsonNumber("psnrP1").doubleValue())
                    .isLessThanOrEqualTo(q.getJsonNumber("psnr").doubleValue() + 3);
            // The worst frame, and a still of it beside the output, served to the console.
            assertThat(output.getJsonNumber("worstFrame").longValue())
                    .isBetween(0L, q.getJsonNumber("frames").longValue() - 1);
            Path still = Path.of(output.getString("worstImage"));
            assertThat(still.getFileName().toString()).endsWith("-worst.jpg");
            assertThat(Files.readAllBytes(still)).startsWith((byte) 0xFF, (byte) 0xD8);
            Api.Reply served = Api.as(Api.MONITOR)
                    .get(Api.appUrl() + "/api/v1/jobs/"
                            + job.getJsonNumber("id").longValue() + "/inputs/" + in.getInt("input") + "/worst");
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.header("Content-Type")).startsWith("image/jpeg");
        }
        // What a user sees under each output on the job's page.
        try (Browser b = new Browser()) {
            b.signIn(Api.MONITOR, "#/jobs/" + job.getJsonNumber("id").longValue());
            String captions = b.await(
                    d -> {
                        String t = d.findElement(By.id("outputs")).getText();
                        return t.split("PSNR", -1).length == 3 ? t : null;
                    },
                    "both outputs' PSNR under them");
            for (JsonObject in : job.getJsonArray("inputs").getValuesAs(JsonObject.class)) {
                double psnr = in.getJsonObject("output")
                        .getJsonObject("quality")
                        .getJsonNumber("psnr")
                        .doubleValue();
                assertThat(captions).contains(String.format(java.util.Locale.ROOT, "PSNR %.2f dB", psnr));
            }
        }
    }

    @Test
    void anOutputBelowMinQualityFailsWithItsFigureAndLeavesNoFile() throws Exception {
        String dir = Jobs.dir("it-quality-gate");
        JsonObject job = run(dir, "minQuality", 60);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        for (JsonObject in : job.getJsonArray("inputs").getValuesAs(JsonObject.class)) {
            assertThat(in.getString("state")).isEqualTo("FAILED");
            assertThat(in.getString("reason"))
                    .as(in.getString("given"))
                    .matches(".*PSNR [0-9.]+ dB is below minQuality 60.00 dB");
        }
        Path out = Jobs.outputs().resolve(dir);
        try (Stream<Path> files = Files.exists(out) ? Files.walk(out) : Stream.empty()) {
            // The job's report, and nothing else.
            assertThat(files.filter(Files::isRegularFile)
                            .map(f -> f.getFileName().toString()))
                    .as("files under " + out)
                    .allMatch(n -> n.matches("vidbatch-report-[0-9]+\\.json"));
        }
    }

    @Test
    void aCropIsSaidNotMeasured() {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4"),
                "outputDir",
                Jobs.dir("it-quality-crop"),
                "operations",
                "crop(width=640,height=360)",
                "quality",
                true));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        assertThat(job.getString("status")).isEqualTo("COMPLETED");
        JsonObject output = job.getJsonArray("inputs").getJsonObject(0).getJsonObject("output");
        assertThat(output.get("quality") == null || output.get("quality") == JsonValue.NULL)
                .as("no figures in " + output)
                .isTrue();
        assertThat(output.getString("unmeasured"))
                .startsWith("quality not measured: crop(")
                .endsWith("changes the picture on purpose");
    }

    private static JsonObject run(String dir, Object... quality) {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of(WHOLE, SEGMENTED),
                "outputDir",
                dir,
                "preset",
                "h264-480p",
                "segmentSeconds",
                10,
                "workers",
                2,
                quality[0],
                quality[1]));
        return Jobs.waitForEnd(id, Duration.ofMinutes(4));
    }
}
