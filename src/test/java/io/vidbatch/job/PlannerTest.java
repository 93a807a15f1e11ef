package io.vidbatch.job;

import io.vidbatch.media.Budget;
import io.vidbatch.media.Samples;
import io.vidbatch.media.Tools;
import io.vidbatch.store.InputState;
import io.vidbatch.work.WorkItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What planning one input does when the input, or the tools run on it, misbehave. */
class PlannerTest {

    @TempDir
    Path dir;

    private Planner planner(Tools tools, Budget budget) {
        return planner(tools, budget, Map.of());
    }

    private Planner planner(Tools tools, Budget budget, Map<String, String> given) {
        TranscodeParameters p = TranscodeParameters.parse(List.of(dir.toString()), given::get, 64)
                .parameters();
        return new Planner(tools, p, budget, dir.resolve("out"), dir.resolve("work"), dir.resolve("claims"));
    }

    private Inputs.Candidate candidate(Path file) throws Exception {
        return new Inputs.Candidate(file.toString(), file, file.toRealPath(), null);
    }

    @Test
    void aToolThatCannotRunRejectsThatInputInsteadOfFailingTheJob() throws Exception {
        Path video = dir.resolve("a.mp4");
        Samples.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10", "-frames:v", "10", video.toString());
        Planner broken = planner(new Tools("/nonexistent/ffmpeg", "/nonexistent/ffprobe"), Budget.DEFAULT);

        Planner.Examined e = broken.examine(1, candidate(video));

        assertThat(e.rejection()).startsWith("cannot be examined: cannot run ffprobe: ");
    }

    @Test
    void anAv1LadderRejectsAVariableFrameRateSourceAndTakesAConstantOne() throws Exception {
        Path vfr = dir.resolve("phone.mp4");
        // 30 fps, then 60 fps: a phone's variable rate.
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=426x240:rate=60",
                "-t",
                "4",
                "-vf",
                "select='gte(t\\,2)+not(mod(n\\,2))'",
                "-fps_mode",
                "vfr",
                vfr.toString());
        Path cfr = dir.resolve("camera.mp4");
        Samples.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=426x240:rate=25", "-t", "2", cfr.toString());
        Planner av1 = planner(Tools.onPath(), Budget.DEFAULT, Map.of("ladder", "av1-ladder"));
        Planner h264 = planner(Tools.onPath(), Budget.DEFAULT, Map.of("ladder", "h264-ladder"));

        assertThat(av1.examine(1, candidate(vfr)).rejection())
                .startsWith("variable frame rate source: AV1 rungs place keyframes by frame count");
        assertThat(av1.examine(2, candidate(cfr)).rejection()).isNull();
        assertThat(h264.examine(1, candidate(vfr)).rejection()).isNull();
    }

    @Test
    void aPictureOverTheBudgetIsRejectedWithItsFigures() throws Exception {
        Path video = dir.resolve("wide.mp4");
        Samples.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-frames:v", "3", video.toString());
        Planner small = planner(Tools.onPath(), new Budget(320L * 180, Long.MAX_VALUE));
        Planner slow = planner(Tools.onPath(), new Budget(Long.MAX_VALUE, 640L * 360 * 29));

        assertThat(small.examine(1, candidate(video)).rejection())
                .isEqualTo("640x360 is 0.2 megapixels a picture; this server takes at most 0.1 (MAX_FRAME_PIXELS)");
        assertThat(slow.examine(1, candidate(video)).rejection())
                .isEqualTo(
                        "640x360 at 30.00 frames a second is 7 megapixels a second; this server takes at most 7 (MAX_PIXEL_RATE)");
        assertThat(planner(Tools.onPath(), Budget.DEFAULT)
                        .examine(1, candidate(video))
                        .rejection())
                .isNull();
    }

    @Test
    void aPlaylistNamedLikeAVideoIsRejectedForWhatItIs() throws Exception {
        Path outside = dir.resolve("elsewhere.ts");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=96x64:rate=25",
                "-frames:v",
                "25",
                "-c:v",
                "mpeg2video",
                outside.toString());
        Path playlist = Files.writeString(
                dir.resolve("evil.mp4"),
                "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n" + outside + "\n#EXT-X-ENDLIST\n");

        Planner.Examined e = planner(Tools.onPath(), Budget.DEFAULT).examine(1, candidate(playlist));

        assertThat(e.rejection())
                .isEqualTo(
                        "an HLS playlist (hls): not a video container vidbatch reads; files that point at other files are refused");
    }

    @Test
    void aFortyThousandCharacterTitleIsCutSoTheInputStillFitsItsRecord() throws Exception {
        Path video = dir.resolve("titled.mkv");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=10",
                "-frames:v",
                "10",
                "-metadata:s:v:0",
                "title=" + "T".repeat(40_000),
                video.toString());

        Planner.Examined e = planner(Tools.onPath(), Budget.DEFAULT).examine(1, candidate(video));

        assertThat(e.rejection()).isNull();
        assertThat(e.info().streams().get(0).title()).hasSize(201).endsWith("T…");
    }

    @Test
    void aQueuedInputExaminedLaterIsPlannedAsIfExaminedAtOnce() throws Exception {
        Path video = dir.resolve("talk.mp4");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x180:rate=25",
                "-f",
                "lavfi",
                "-i",
                "sine=r=48000",
                "-t",
                "2",
                "-shortest",
                video.toString());
        Planner now = planner(Tools.onPath(), Budget.DEFAULT, Map.of("quality", "true"));
        Planner later = planner(Tools.onPath(), Budget.DEFAULT, Map.of("quality", "true"));
        assertThat(later.defers()).isTrue();

        Planner.Planned atOnce = now.plan(7, now.examine(1, candidate(video)));
        Planner.Planned queued = later.queue(7, later.name(7, 1, candidate(video)));
        WorkItem waiting = queued.items().get(0);
        Planner.Planned examined = later.examined(7, waiting, later.examine(1, candidate(video)));

        // Queued: named and numbered, nothing known of the source yet.
        assertThat(waiting.expected()).isNull();
        assertThat(queued.detail()).isNull();
        assertThat(queued.row().state()).isEqualTo(InputState.PLANNED);
        // Examined: the very item and detail the plan step would have made, with its number and output kept.
        WorkItem full = examined.items().get(0);
        assertThat(full.item()).isEqualTo(waiting.item());
        assertThat(full.output()).isEqualTo(waiting.output()).endsWith("talk-h264-720p.mp4");
        assertThat(full.expected()).isEqualTo(atOnce.items().get(0).expected());
        assertThat(full.expected().frames()).isEqualTo(50);
        assertThat(full.streams()).isEqualTo(atOnce.items().get(0).streams());
        assertThat(full.quality()).isEqualTo(atOnce.items().get(0).quality()).isNotNull();
        assertThat(full.seconds()).isEqualTo(atOnce.items().get(0).seconds()).isPositive();
        assertThat(examined.detail()).isEqualTo(atOnce.detail());
    }

    @Test
    void aQueuedInputThatIsNoVideoIsRejectedWhenExaminedWithTheReasonThePlanGives() throws Exception {
        Path text = dir.resolve("notes.mp4");
        Files.writeString(text, "not a video at all");
        Planner later = planner(Tools.onPath(), Budget.DEFAULT);

        Planner.Planned queued = later.queue(7, later.name(7, 1, candidate(text)));
        Planner.Planned examined = later.examined(7, queued.items().get(0), later.examine(1, candidate(text)));

        assertThat(queued.items()).hasSize(1);
        assertThat(examined.items()).isEmpty();
        assertThat(examined.row().state()).isEqualTo(InputState.REJECTED);
        assertThat(examined.row().reason())
                .isEqualTo(later.examine(1, candidate(text)).rejection())
                .isNotBlank();
    }

    @Test
    void segmentsAndLaddersAreExaminedWhilePlanning() {
        assertThat(planner(Tools.onPath(), Budget.DEFAULT, Map.of("segmentSeconds", "4"))
                        .defers())
                .isFalse();
        assertThat(planner(Tools.onPath(), Budget.DEFAULT, Map.of("ladder", "h264-ladder"))
                        .defers())
                .isFalse();
    }
}
