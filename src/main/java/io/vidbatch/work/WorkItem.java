package io.vidbatch.work;

import io.vidbatch.media.Expected;
import io.vidbatch.media.Part;
import io.vidbatch.media.QualityFiles;
import io.vidbatch.media.StreamPlan;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One piece of work as a worker receives it (JSON): what to read, what to make, where to
 * put it, and what the result must measure. Self-contained, so it can run anywhere that
 * sees the shared media storage.
 *
 * @param jobInstance job instance it belongs to
 * @param item        item number within the job
 * @param input       input number within the job
 * @param segment     segment index (0 for whole files and audio)
 * @param streams     the source's audio and subtitle tracks to carry (a video segment carries none)
 * @param seconds     media seconds to encode, for balancing and progress
 * @param dryRun      check that the source is readable and encode nothing: proves dispatch,
 *                    workers and storage without spending encode time
 * @param ladder      for a {@link Part#LADDER_CHUNK}: the chunk and its rungs; null otherwise
 * @param quality     for a whole file or a video segment: measure it against its source (null: not)
 */
public record WorkItem(
        long jobInstance,
        int item,
        int input,
        Part part,
        int segment,
        String source,
        String output,
        String preset,
        String operations,
        Expected expected,
        StreamPlan.Map streams,
        String log,
        double seconds,
        boolean dryRun,
        LadderChunk ladder,
        QualityCheck quality) {

    public WorkItem withQuality(QualityCheck q) {
        return new WorkItem(
                jobInstance,
                item,
                input,
                part,
                segment,
                source,
                output,
                preset,
                operations,
                expected,
                streams,
                log,
                seconds,
                dryRun,
                ladder,
                q);
    }

    /** Where measuring this item leaves its figures: beside its log. */
    public QualityFiles qualityFiles() {
        return new QualityFiles(java.nio.file.Path.of(log).resolveSibling("item-" + item + ".quality"));
    }

    /** A group's item numbers, "3,4,5": as logs and the Kubernetes Job's annotation show them. */
    public static String numbers(List<WorkItem> group) {
        return group.stream().map(i -> Integer.toString(i.item())).collect(Collectors.joining(","));
    }

    /** The piece of its input this item is, in words: "whole file", "video segment 3", "audio". */
    public String piece() {
        return switch (part) {
            case WHOLE -> "whole file";
            case VIDEO_SEGMENT -> "video segment " + segment;
            case LADDER_CHUNK -> "ladder chunk " + segment;
            case AUDIO -> "audio";
        };
    }
}
