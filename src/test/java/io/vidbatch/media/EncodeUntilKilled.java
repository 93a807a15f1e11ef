package io.vidbatch.media;

import java.nio.file.Path;
import java.util.List;

/**
 * Stands in for a coordinator in the middle of an item: runs a ten-minute encode through
 * FfmpegRun, as the local launcher does, until it is killed.
 */
public final class EncodeUntilKilled {

    public static void main(String[] args) throws Exception {
        List<String> cmd = Tools.onPath().ffmpegCommand();
        // -re: at the picture rate, so the stand-in item costs the shared machine little CPU.
        cmd.addAll(List.of(
                "-re",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1280x720:rate=30",
                "-t",
                "600",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-f",
                "null",
                "-"));
        new FfmpegRun(cmd, Path.of(args[0]).resolve("ffmpeg.log"), 600).run(Progress.Listener.IGNORE, () -> false);
    }
}
