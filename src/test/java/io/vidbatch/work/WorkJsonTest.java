package io.vidbatch.work;

import io.vidbatch.media.Expected;
import io.vidbatch.media.Ladder;
import io.vidbatch.media.Part;
import io.vidbatch.media.Progress;
import io.vidbatch.media.StreamPlan;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WorkJsonTest {

    static final WorkItem ITEM = new WorkItem(
            7,
            3,
            2,
            Part.VIDEO_SEGMENT,
            4,
            "/in/a \"b\".mp4",
            "/out/é.mp4",
            "h264-720p",
            "watermark(text=\"x\")",
            Expected.of(192, 0, 8.008, 0.042, true, false),
            StreamPlan.Map.NONE,
            "/work/logs/item-3.log",
            6.4,
            false,
            null,
            null);

    @Test
    void aQualityCheckSurvivesTheTripWithOrWithoutAGate() {
        for (QualityCheck q : new QualityCheck[] {new QualityCheck(35.5), new QualityCheck(null)}) {
            WorkItem measured = ITEM.withQuality(q);
            assertThat(WorkJson.readItem(WorkJson.write(measured))).isEqualTo(measured);
        }
        double[] means = WorkJson.readMeans(WorkJson.writeMeans(
                new io.vidbatch.media.Quality.Part(new double[0], new double[0], Double.POSITIVE_INFINITY, 0.97)));
        assertThat(means).containsExactly(io.vidbatch.media.Quality.IDENTICAL, 0.97);
    }

    @Test
    void itemsResultsAndOutcomesSurviveTheTrip() {
        assertThat(WorkJson.readItem(WorkJson.write(ITEM))).isEqualTo(ITEM);
        WorkItem dry = new WorkItem(
                7,
                4,
                2,
                Part.WHOLE,
                0,
                "/in/c.mp4",
                "/out/c.mp4",
                "vp9-720p",
                "",
                new Expected(192, 0, 8.008, 0.042, true, 3, 2, 4, "smpte2084"),
                new StreamPlan.Map(
                        List.of(0, 2, 1),
                        List.of(1),
                        new StreamPlan.Hdr(
                                "smpte2084",
                                "bt2020",
                                null,
                                "G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50)",
                                "1000,400")),
                "/work/logs/item-4.log",
                3,
                true,
                null,
                null);
        assertThat(WorkJson.readItems(WorkJson.writeItems(List.of(ITEM, dry)))).containsExactly(ITEM, dry);
        WorkResult r = new WorkResult(
                "/out/x.mp4", 123, 1280, 720, 240, 8.0, true, 3.5, 68.6, "k8s:node-a/vb-7-3-xyz", 1_764_400_000_123L);
        assertThat(WorkJson.readResult(WorkJson.write(r))).isEqualTo(r);
        List<Outcome> back = WorkJson.readOutcomes(
                WorkJson.writeOutcomes(List.of(Outcome.done(r), Outcome.badInput("moov atom not found"))));
        // Where the output went and who ran it are the coordinator's to say.
        assertThat(back.get(0).placed(ITEM, "w").result())
                .isEqualTo(new WorkResult(
                        ITEM.output(), 123, 1280, 720, 240, 8.0, true, 3.5, 68.6, "w", 1_764_400_000_123L));
        assertThat(back.get(1)).isEqualTo(Outcome.badInput("moov atom not found"));
    }

    @Test
    void theOutcomesOfAFullGroupFitATerminationMessage() {
        List<Outcome> worst = new ArrayList<>();
        for (int i = 0; i < WorkJson.MAX_GROUP; i++) {
            worst.add(
                    i % 2 == 0
                            ? Outcome.badInput("é".repeat(5_000))
                            : Outcome.done(new WorkResult(
                                    "",
                                    Long.MAX_VALUE,
                                    7680,
                                    4320,
                                    Long.MAX_VALUE,
                                    86_399.999_9,
                                    true,
                                    86_399.999_9,
                                    1_000.123_4,
                                    "",
                                    Long.MAX_VALUE)));
        }
        String json = WorkJson.writeOutcomes(worst);
        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);
        assertThat(WorkJson.readOutcomes(json)).hasSize(WorkJson.MAX_GROUP);
    }

    @Test
    void progressLinesAreReadBackAndOtherLinesAreNot() {
        Progress p = new Progress(0.25, 60, 31.5);
        assertThat(ProgressLine.parse(ProgressLine.format(12, p))).contains(new ProgressLine.Update(12, p));
        assertThat(ProgressLine.parse("ffmpeg: [warning] something")).isEmpty();
        assertThat(ProgressLine.parse("vidbatch-progress fraction=oops")).isEmpty();
    }

    @Test
    void aLadderChunkTravelsWhole() {
        Ladder.Fit fit = Ladder.parse("720:h264:23:3M,240:h264:28:400k").fit(1280, 720);
        io.vidbatch.media.Chunk chunk =
                new io.vidbatch.media.Chunk(2, 15.98, Double.POSITIVE_INFINITY, 16.0, 240, 8.0, 12.0);
        WorkItem item = new WorkItem(
                7,
                3,
                2,
                Part.LADDER_CHUNK,
                2,
                "/in/a.mp4",
                "/work/in-2/chunk-2.json",
                "h264-720p",
                "",
                Expected.of(240, 0, 8.0, 0.04, true, false),
                StreamPlan.Map.NONE,
                "/work/logs/item-3.log",
                8.0,
                false,
                new LadderChunk(fit.kept(), chunk, false, 38.5),
                null);
        WorkItem back = WorkJson.readItem(WorkJson.write(item));
        assertThat(back).isEqualTo(item);
        assertThat(back.ladder().rungs().get(1).sarNum()).isEqualTo(640);
    }
}
