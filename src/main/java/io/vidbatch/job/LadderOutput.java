package io.vidbatch.job;

import io.vidbatch.media.Quality;

import java.util.List;

/**
 * A ladder input's outcome, in its report: where its playlists are, each rendition with its size,
 * rates and quality against the source, and the rungs left out and why.
 *
 * @param ladder     the ladder as asked for (a name or rungs)
 * @param dir        the published folder, holding {@code master.m3u8} and {@code manifest.mpd}; null until packaged
 * @param chunks     how many pieces of the source were encoded apart (the work items)
 * @param segments   CMAF segments per rendition
 * @param skipped    rungs above the source, each with the reason
 * @param vmaf       why there is no VMAF figure, or null when there is one
 */
public record LadderOutput(
        String ladder,
        String dir,
        int chunks,
        int segments,
        List<Rendition> renditions,
        List<String> skipped,
        String vmaf) {

    /**
     * @param peakBits    the largest segment's video bits per second
     * @param averageBits video bits per second over the whole rendition
     * @param worstFrame  the frame with the lowest PSNR, numbered from 0 in display order
     * @param worstImage  that frame as a JPEG in the ladder's folder, or null when it could not be taken
     */
    public record Rendition(
            String id,
            String rung,
            int width,
            int height,
            String codecs,
            long bytes,
            long peakBits,
            long averageBits,
            Quality quality,
            long worstFrame,
            String worstImage) {}

    public LadderOutput packaged(String folder, int segmentCount, List<Rendition> done) {
        return new LadderOutput(ladder, folder, chunks, segmentCount, done, skipped, vmaf);
    }
}
