package io.vidbatch.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How an ffmpeg run's end is read: a stand-in ffmpeg prints given log lines and exits with a given code. */
class FfmpegRunTest {

    private static FfmpegRun.Outcome run(int exit, String... stderr) throws Exception {
        Path dir = Samples.scratch();
        Path fake = dir.resolve("ffmpeg");
        StringBuilder script = new StringBuilder("#!/bin/sh\n");
        for (String line : stderr) {
            script.append("printf '%s\\n' '").append(line.replace("'", "'\\''")).append("' >&2\n");
        }
        script.append("exit ").append(exit).append('\n');
        Files.writeString(fake, script);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new FfmpegRun(List.of(fake.toString()), dir.resolve("log"), 1)
                .run(Progress.Listener.IGNORE, () -> false);
    }

    @Test
    void decoderErrorsWithAComponentPrefixAreBadMedia() {
        assertThatThrownBy(() -> run(0, "[h264 @ 0x55d5c7d4f940] [error] error while decoding MB 24 29"))
                .isInstanceOf(BadMediaException.class)
                .hasMessage("decoding errors: [h264] error while decoding MB 24 29");
    }

    @Test
    void errorsWithoutAPrefixAreBadMediaToo() {
        assertThatThrownBy(() -> run(0, "[error] Error while decoding stream #0:1: Invalid data found", "[warning] x"))
                .isInstanceOf(BadMediaException.class)
                .hasMessageStartingWith("decoding errors: Error while decoding stream");
    }

    @Test
    void anErrorExitIsBadMediaWhateverItsNumber() {
        // Newer ffmpeg exits with AVERROR codes folded to 8 bits (e.g. 234): still the input's fault.
        assertThatThrownBy(() -> run(234, "[fatal] Conversion failed!"))
                .isInstanceOf(BadMediaException.class)
                .hasMessage("ffmpeg failed (exit 234): Conversion failed!");
    }

    @Test
    void killedBySignalIsAToolFailure() {
        assertThatThrownBy(() -> run(137))
                .isInstanceOf(ToolFailureException.class)
                .hasMessage("ffmpeg was killed by signal 9");
        assertThatThrownBy(() -> run(255, "[warning] Exiting normally, received signal 15."))
                .isInstanceOf(ToolFailureException.class)
                .hasMessageStartingWith("ffmpeg was interrupted");
    }

    @Test
    void aFullDiskIsNotTheInputsFault() {
        assertThatThrownBy(() -> run(1, "[error] av_interleaved_write_frame(): No space left on device"))
                .isInstanceOf(ToolFailureException.class)
                .hasMessage("no space left on the output volume");
    }

    @Test
    void infoLinesNeitherFailARunNorBecomeItsReason() throws Exception {
        assertThat(run(
                                0,
                                "[info] Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'a.mp4':",
                                "[libx264 @ 0x1] [info] kb/s:2609.04")
                        .seconds())
                .isPositive();
        assertThatThrownBy(() ->
                        run(255, "[warning] Exiting normally, received signal 15.", "[info] video:1593kB audio:76kB"))
                .isInstanceOf(ToolFailureException.class)
                .hasMessage("ffmpeg was interrupted: Exiting normally, received signal 15.");
    }

    @Test
    void warningsAloneAreFine() throws Exception {
        assertThat(run(0, "[mp4 @ 0x1] [warning] Non-monotonous DTS").seconds()).isPositive();
    }
}
