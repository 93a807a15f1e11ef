package io.vidbatch.launch;

import io.vidbatch.media.Expected;
import io.vidbatch.media.Part;
import io.vidbatch.media.Progress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkJsonTest {

    static final WorkItem ITEM = new WorkItem(7, 3, 2, Part.VIDEO_SEGMENT, 4, "/in/a \"b\".mp4", "/out/é.mp4", "h264-720p",
            "watermark(text=\"x\")", new Expected(192, 0, 8.008, 0.042, true, false), "/work/logs/item-3.log", 6.4);

    @Test
    void itemsResultsAndOutcomesSurviveTheTrip() {
        assertThat(WorkJson.readItem(WorkJson.write(ITEM))).isEqualTo(ITEM);
        WorkResult r = new WorkResult("/out/x.mp4", 123, 1280, 720, 240, 8.0, true, 3.5, 68.6, "k8s:node-a/vb-7-3-xyz");
        assertThat(WorkJson.readResult(WorkJson.write(r))).isEqualTo(r);
        assertThat(WorkJson.readOutcome(WorkJson.write(Outcome.done(r)))).isEqualTo(Outcome.done(r));
        assertThat(WorkJson.readOutcome(WorkJson.write(Outcome.badInput("moov atom not found")))).isEqualTo(Outcome.badInput("moov atom not found"));
    }

    @Test
    void aLongReasonIsCutToFitATerminationMessage() {
        String json = WorkJson.write(Outcome.failed("x".repeat(10_000)));
        assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(4096);
    }

    @Test
    void progressLinesAreReadBackAndOtherLinesAreNot() {
        Progress p = new Progress(0.25, 60, 31.5);
        assertThat(ProgressLine.parse(ProgressLine.format(p))).contains(new Progress(0.25, 60, 31.5));
        assertThat(ProgressLine.parse("ffmpeg: [warning] something")).isEmpty();
        assertThat(ProgressLine.parse("vidbatch-progress fraction=oops")).isEmpty();
    }
}
