package io.vidbatch.work;

/**
 * A whole file or video segment measured against its source (PSNR, SSIM) once encoded.
 *
 * @param minQuality the lowest PSNR (dB) its input's output may have, or null for no gate
 */
public record QualityCheck(Double minQuality) {}
