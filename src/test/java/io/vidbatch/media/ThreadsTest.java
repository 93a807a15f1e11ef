package io.vidbatch.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ffmpeg sizes its threads by the CPUs of where it runs as the JVM counts them (a container's
 * limit), not by the host's cores it would count itself.
 */
class ThreadsTest {

    private final String cpus = Integer.toString(Runtime.getRuntime().availableProcessors());
    private final Transcoder transcoder = new Transcoder(Samples.TOOLS);

    @Test
    void everyEncodeDecodesFiltersAndEncodesWithTheCpusThisJvmMayUse() {
        for (Preset preset : Preset.values()) {
            for (Part part : List.of(Part.WHOLE, Part.VIDEO_SEGMENT)) {
                List<String> cmd = transcoder.command(
                        request(Path.of("/in/a.mp4"), Path.of("/out/a." + preset.extension()), part, preset, null),
                        Path.of("/work/wm.txt"),
                        Path.of("/out/.a.tmp"));
                String as = preset.id() + " " + part;
                int input = cmd.indexOf("-i");
                assertThat(value(cmd.subList(0, input), "-filter_threads"))
                        .as(as)
                        .isEqualTo(cpus);
                assertThat(value(cmd.subList(0, input), "-threads"))
                        .as(as + ": decoder")
                        .isEqualTo(cpus);
                List<String> output = cmd.subList(input, cmd.size());
                switch (preset.id().replaceAll("-.*", "")) {
                    // ffmpeg's -threads would set x265's frames in flight; its pool is what uses the CPUs.
                    case "hevc" -> {
                        assertThat(value(output, "-x265-params")).as(as).contains("pools=" + cpus);
                        assertThat(output).as(as).doesNotContain("-threads");
                    }
                    case "av1" -> {
                        assertThat(value(output, "-threads")).as(as).isEqualTo(cpus);
                        assertThat(value(output, "-svtav1-params")).as(as).contains("lp=" + cpus);
                    }
                    default ->
                        assertThat(value(output, "-threads"))
                                .as(as + ": encoder")
                                .isEqualTo(cpus);
                }
            }
        }
    }

    @Test
    void theEncodersParametersAreOneOptionThatKeepsHdrAndThreads() {
        StreamPlan.Hdr hdr = new StreamPlan.Hdr(
                "smpte2084",
                "bt2020",
                "bt2020nc",
                "G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50)",
                "1000,400");
        List<String> hevc = transcoder.command(
                request(Path.of("/in/a.mp4"), Path.of("/out/a.mp4"), Part.WHOLE, Preset.HEVC_10BIT_1080P, hdr),
                Path.of("/work/wm.txt"),
                Path.of("/out/.a.tmp"));
        // ffmpeg keeps only the last -x265-params: one must carry the pool and the HDR.
        assertThat(hevc.stream().filter("-x265-params"::equals)).hasSize(1);
        assertThat(value(hevc, "-x265-params"))
                .contains("pools=" + cpus, "hdr10=1", "master-display=G(13250,34500)", "max-cll=1000,400");
        List<String> av1 = transcoder.command(
                request(Path.of("/in/a.mp4"), Path.of("/out/a.mp4"), Part.WHOLE, Preset.AV1_10BIT_1080P, hdr),
                Path.of("/work/wm.txt"),
                Path.of("/out/.a.tmp"));
        assertThat(av1.stream().filter("-svtav1-params"::equals)).hasSize(1);
        assertThat(value(av1, "-svtav1-params")).contains("lp=" + cpus, "mastering-display=", "content-light=1000,400");
    }

    @Test
    void aThumbnailDecodesAndEncodesWithTheCpusThisJvmMayUse() {
        List<String> cmd =
                new Thumbnailer(Samples.TOOLS).command(Path.of("/out/a.mp4"), 1, 320, Path.of("/out/.a.jpg"));
        int input = cmd.indexOf("-i");
        assertThat(value(cmd.subList(0, input), "-filter_threads")).isEqualTo(cpus);
        assertThat(value(cmd.subList(0, input), "-threads")).isEqualTo(cpus);
        assertThat(value(cmd.subList(input, cmd.size()), "-threads")).isEqualTo(cpus);
    }

    @Test
    void everyPresetStillEncodesWithItsThreadOptions() throws Exception {
        Path dir = Samples.scratch();
        Path source = dir.resolve("source.mp4");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x240:rate=25",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440",
                "-t",
                "1",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-c:a",
                "aac",
                "-shortest",
                source.toString());
        MediaInfo info = new Prober(Samples.TOOLS).probe(source);
        Expected expected = io.vidbatch.job.PlannerAccess.expected(source, info, List.of());
        for (Preset preset : Preset.values()) {
            Path out = dir.resolve(preset.id() + "." + preset.extension());
            Transcoder.Result r = transcoder.transcode(
                    new Transcoder.Request(
                            source,
                            out,
                            Part.WHOLE,
                            preset,
                            List.of(),
                            expected,
                            StreamPlan.of(info, StreamPlan.ALL, preset).map(),
                            dir.resolve(preset.id() + ".log"),
                            null),
                    Progress.Listener.IGNORE,
                    () -> false);
            assertThat(r.frames()).as(preset.id()).isEqualTo(25);
            assertThat(r.audio()).as(preset.id()).isTrue();
        }
    }

    private static Transcoder.Request request(Path source, Path output, Part part, Preset preset, StreamPlan.Hdr hdr) {
        return new Transcoder.Request(
                source,
                output,
                part,
                preset,
                List.of(),
                Expected.of(25, 0, 1, 0.05, true, true),
                new StreamPlan.Map(List.of(0), List.of(), hdr),
                Path.of("/work/item.log"),
                null);
    }

    /** The argument after the last {@code flag} in {@code args}. */
    private static String value(List<String> args, String flag) {
        int i = args.lastIndexOf(flag);
        assertThat(i).as(flag + " in " + args).isNotNegative();
        return args.get(i + 1);
    }
}
