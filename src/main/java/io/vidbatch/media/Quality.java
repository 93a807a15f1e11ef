package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How close a rendition is to its source, as ffmpeg's {@code psnr} and {@code ssim} filters
 * measure it (the rendition scaled back to the source's size, bicubic; frame by frame in
 * order): the mean as those filters give it, and the worst frame and the 1st-percentile
 * frame, since a mean hides the few frames a viewer notices.
 *
 * @param psnr    dB over all frames together (the {@code psnr} filter's "average": from the mean squared error)
 * @param ssim    mean of the frames' SSIM ({@code ssim} filter's "All")
 */
public record Quality(
        long frames, double psnr, double psnrMin, double psnrP1, double ssim, double ssimMin, double ssimP1) {

    /** 8-bit samples: PSNR's peak. Renditions are measured in 8-bit 4:2:0 whatever the source. */
    private static final double PEAK = 255;

    /**
     * The PSNR given to a frame identical to its source (ffmpeg says "inf", JSON cannot): nothing
     * lossy comes near it.
     */
    public static final double IDENTICAL = 100;

    /** What one measuring run left for one rendition: its frames' figures and the filters' means. */
    public record Part(double[] psnrFrames, double[] ssimFrames, double psnr, double ssim) {}

    private static final Pattern PSNR_FRAME = Pattern.compile("\\bpsnr_avg:(inf|[0-9.]+)");
    private static final Pattern SSIM_FRAME = Pattern.compile("\\bAll:([0-9.]+)");

    /** Reads the filters' stats files; the means come from their closing lines in ffmpeg's log. */
    public static Part read(Path psnrStats, Path ssimStats, double psnr, double ssim) throws IOException {
        return new Part(frames(psnrStats, PSNR_FRAME), frames(ssimStats, SSIM_FRAME), psnr, ssim);
    }

    private static double[] frames(Path stats, Pattern p) throws IOException {
        try (var lines = Files.lines(stats)) {
            return lines.map(p::matcher)
                    .filter(Matcher::find)
                    .mapToDouble(
                            m -> m.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)))
                    .toArray();
        }
    }

    /**
     * The rendition's figures from its chunks' parts: the PSNR mean through the squared error,
     * as the filter computes it over one run, the SSIM mean weighted by frames.
     */
    public static Quality of(List<Part> parts) {
        double[] psnr = parts.stream()
                .flatMapToDouble(p -> Arrays.stream(p.psnrFrames))
                .sorted()
                .toArray();
        double[] ssim = parts.stream()
                .flatMapToDouble(p -> Arrays.stream(p.ssimFrames))
                .sorted()
                .toArray();
        if (psnr.length == 0 || ssim.length != psnr.length) {
            throw new IllegalArgumentException("psnr counted " + psnr.length + " frames, ssim " + ssim.length);
        }
        double squaredError = 0;
        double ssimSum = 0;
        for (Part p : parts) {
            squaredError += p.psnrFrames.length * mse(p.psnr);
            ssimSum += p.ssimFrames.length * p.ssim;
        }
        double mse = squaredError / psnr.length;
        return new Quality(
                psnr.length,
                mse == 0 ? IDENTICAL : Math.min(IDENTICAL, 10 * Math.log10(PEAK * PEAK / mse)),
                psnr[0],
                percentile(psnr),
                ssimSum / ssim.length,
                ssim[0],
                percentile(ssim));
    }

    private static double mse(double psnr) {
        return psnr >= IDENTICAL ? 0 : PEAK * PEAK / Math.pow(10, psnr / 10);
    }

    /** The 1st-percentile frame: 1 % of frames are worse. */
    private static double percentile(double[] sorted) {
        return sorted[(int) Math.floor((sorted.length - 1) * 0.01)];
    }

    /**
     * Fails what falls below a PSNR the user set, with the figure in the reason.
     *
     * @param what names the encode in the reason ({@code h264-240p: }), or null
     */
    public static void gate(Quality q, double minQuality, String what) throws BadMediaException {
        if (q.psnr < minQuality) {
            throw new BadMediaException(String.format(
                    java.util.Locale.ROOT,
                    "%sPSNR %.2f dB is below minQuality %.2f dB",
                    what == null ? "" : what + ": ",
                    q.psnr,
                    minQuality));
        }
    }

    /** SSIM as dB, the way the {@code ssim} filter prints it: -10·log10(1 - SSIM). */
    public static double decibels(double ssim) {
        return ssim >= 1 ? IDENTICAL : -10 * Math.log10(1 - ssim);
    }
}
