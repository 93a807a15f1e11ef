package io.vidbatch.work;

import io.vidbatch.media.Chunk;
import io.vidbatch.media.Ladder;

import java.util.List;

/**
 * What a ladder's work item encodes: which stretch of its source, to which rungs (already fitted
 * to the source), and the quality each rendition must reach.
 *
 * @param measure    whether each rendition is measured against the source (PSNR, SSIM)
 * @param minQuality the lowest PSNR (dB) a rendition of this chunk may have, or null for no gate
 */
public record LadderChunk(List<Ladder.Fitted> rungs, Chunk chunk, boolean measure, Double minQuality) {}
