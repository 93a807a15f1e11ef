package io.vidbatch.media;

import java.nio.file.Path;

/** Checks an output against what its source promised, with ffprobe, before anyone sees it. */
public final class Verifier {

    private final Prober prober;

    public Verifier(Prober prober) {
        this.prober = prober;
    }

    /** Returns the output's probe when it matches; otherwise says exactly what is wrong. */
    public MediaInfo verify(Path output, Expected expected) throws BadMediaException, ToolFailureException {
        MediaInfo info;
        try {
            info = expected.video() ? prober.probe(output) : probeAudioOnly(output);
        } catch (BadMediaException e) {
            throw new BadMediaException("output check failed: " + e.getMessage());
        }
        if (expected.video()) {
            long frames = info.video().frames();
            if (Math.abs(frames - expected.frames()) > expected.frameTolerance()) {
                throw new BadMediaException("output check failed: " + frames + " video frames, expected "
                        + expected.frames() + (expected.frameTolerance() > 0 ? " ± " + expected.frameTolerance() : ""));
            }
            double videoSeconds = info.video().streamDuration();
            if (Math.abs(videoSeconds - expected.seconds()) > expected.tolerance()) {
                throw new BadMediaException(String.format(java.util.Locale.ROOT,
                        "output check failed: video lasts %.3f s, expected %.3f s ± %.3f s",
                        videoSeconds, expected.seconds(), expected.tolerance()));
            }
        }
        if (info.hasAudio() != expected.audio()) {
            throw new BadMediaException("output check failed: " + (expected.audio() ? "audio is missing" : "unexpected audio stream"));
        }
        return info;
    }

    private MediaInfo probeAudioOnly(Path output) throws BadMediaException, ToolFailureException {
        MediaInfo info = prober.probeAny(output);
        if (!info.hasAudio()) {
            throw new BadMediaException("no audio stream");
        }
        return info;
    }
}
