package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks an output against what its source promised before anyone sees it: read from the file
 * (an MP4's movie box, or ffprobe), or for an intermediate piece by what ffmpeg reported writing.
 */
public final class Verifier {

    private final Prober prober;

    public Verifier(Prober prober) {
        this.prober = prober;
    }

    /**
     * Returns what the output measured when it matches; otherwise says exactly what is wrong. An
     * MP4 with video is first read in this JVM ({@link Mp4Header}); ffprobe looks when that
     * cannot read it or finds anything amiss, so every failure is worded from ffprobe's account.
     */
    public MediaInfo verify(Path output, Expected expected) throws BadMediaException, ToolFailureException {
        // A colour check is ffprobe's: it reads the picture's own tags, the movie box only the container's.
        if (expected.video() && expected.transfer() == null) {
            Optional<MediaInfo> read = Mp4Header.read(output);
            if (read.isPresent()) {
                try {
                    Prober.checkVideo(read.get());
                    check(read.get(), expected);
                    return read.get();
                } catch (BadMediaException e) {
                    // ffprobe has the last word on a failure.
                }
            }
        }
        MediaInfo info;
        try {
            info = expected.video() ? prober.probe(output) : probeAudioOnly(output);
        } catch (BadMediaException e) {
            throw new BadMediaException("output check failed: " + e.getMessage());
        }
        check(info, expected);
        return info;
    }

    private static void check(MediaInfo info, Expected expected) throws BadMediaException {
        if (expected.video()) {
            checkFrames(info.video().frames() + " video frames", info.video().frames(), expected);
            double videoSeconds = info.video().streamDuration();
            if (Math.abs(videoSeconds - expected.seconds()) > expected.tolerance()) {
                throw new BadMediaException(String.format(
                        Locale.ROOT,
                        "output check failed: video lasts %.3f s, expected %.3f s ± %.3f s",
                        videoSeconds,
                        expected.seconds(),
                        expected.tolerance()));
            }
        }
        if (expected.transfer() != null
                && !expected.transfer().equals(info.video().transfer())) {
            throw new BadMediaException("output check failed: the picture is tagged "
                    + info.video().transfer() + ", expected " + expected.transfer());
        }
        count(info, "audio", expected.audioStreams());
        count(info, "subtitle", expected.subtitleStreams());
        if (info.chapters() != expected.chapters()) {
            throw new BadMediaException(
                    "output check failed: " + info.chapters() + " chapters, expected " + expected.chapters());
        }
    }

    /**
     * Checks an intermediate piece (a video segment, joined later) by ffmpeg's own account of the
     * run that wrote it: it reached its end, encoded the frames the source has, and every byte it
     * wrote is on disk. ffprobe's check costs as much as a short segment's encode, and the joined
     * output still gets it before anyone sees it.
     */
    public void checkAccount(Path output, Expected expected, FfmpegRun.Outcome outcome)
            throws BadMediaException, ToolFailureException {
        if (!outcome.finished()) {
            throw new BadMediaException("output check failed: ffmpeg did not report the end of its output");
        }
        checkFrames(outcome.frames() + " video frames encoded", outcome.frames(), expected);
        long size;
        try {
            size = Files.size(output);
        } catch (IOException e) {
            throw new ToolFailureException("cannot read " + output.getFileName() + ": " + e.getMessage(), e);
        }
        if (size != outcome.bytes()) {
            // Not the input's fault: the volume lost or never got what ffmpeg wrote.
            throw new ToolFailureException(
                    "output check failed: ffmpeg wrote " + outcome.bytes() + " bytes, the file holds " + size);
        }
    }

    /** Stream by stream: every track the plan keeps is there, and no other. */
    private static void count(MediaInfo info, String type, int expected) throws BadMediaException {
        int found = info.count(type);
        if (found != expected) {
            throw new BadMediaException("output check failed: " + found + " " + type + " stream"
                    + (found == 1 ? "" : "s") + ", expected " + expected);
        }
    }

    /** @param found what was counted, as the failure states it ("149 video frames") */
    private static void checkFrames(String found, long frames, Expected expected) throws BadMediaException {
        if (Math.abs(frames - expected.frames()) > expected.frameTolerance()) {
            throw new BadMediaException("output check failed: " + found + ", expected " + expected.frames()
                    + (expected.frameTolerance() > 0 ? " ± " + expected.frameTolerance() : ""));
        }
    }

    private MediaInfo probeAudioOnly(Path output) throws BadMediaException, ToolFailureException {
        MediaInfo info = prober.probeAny(output);
        if (!info.hasAudio()) {
            throw new BadMediaException("no audio stream");
        }
        return info;
    }
}
