package io.vidbatch.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifierTest {

    /** No ffprobe at all: whatever passes here was read in the JVM. */
    final Verifier withoutFfprobe = new Verifier(new Prober(new Tools("ffmpeg", "/nonexistent/ffprobe")));

    final Verifier verifier = new Verifier(new Prober(Samples.TOOLS));

    /** city-1080p.mp4 as ffprobe counts it: 240 frames, 8 s, one audio track. */
    static Expected city(long frames) {
        return Expected.of(frames, 0, 8.0, 1 / 30.0, true, true);
    }

    @Test
    void anMp4ThatMatchesIsCheckedWithoutStartingFfprobe() throws Exception {
        MediaInfo info = withoutFfprobe.verify(Samples.sample("city-1080p.mp4"), city(240));

        assertThat(info.video().frames()).isEqualTo(240);
        assertThat(info.hasAudio()).isTrue();
    }

    @Test
    void aMismatchIsLeftToFfprobeAndWordedFromItsAccount() {
        assertThatThrownBy(() -> withoutFfprobe.verify(Samples.sample("city-1080p.mp4"), city(241)))
                .isInstanceOf(ToolFailureException.class)
                .hasMessageContaining("cannot run ffprobe");
        assertThatThrownBy(() -> verifier.verify(Samples.sample("city-1080p.mp4"), city(241)))
                .isInstanceOf(BadMediaException.class)
                .hasMessage("output check failed: 240 video frames, expected 241");
    }

    @Test
    void anOutputCutShortFailsTheCheck() throws Exception {
        byte[] bytes = Files.readAllBytes(Samples.sample("city-1080p.mp4"));
        Path cut = Samples.scratch().resolve("cut.mp4");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> verifier.verify(cut, city(240)))
                .isInstanceOf(BadMediaException.class)
                .hasMessageStartingWith("output check failed: ");
    }
}
