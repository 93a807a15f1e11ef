package io.vidbatch.media;

/**
 * A snapshot of a running encode, from ffmpeg's {@code -progress} output.
 *
 * @param fraction 0..1 of the expected duration encoded so far
 * @param frames   frames written so far
 * @param fps      encoding speed in frames per second
 */
public record Progress(double fraction, long frames, double fps) {

    public static final Progress NONE = new Progress(0, 0, 0);

    /** Receives snapshots while a run goes on (about twice a second). */
    @FunctionalInterface
    public interface Listener {
        void update(Progress progress);

        Listener IGNORE = p -> {};
    }
}
