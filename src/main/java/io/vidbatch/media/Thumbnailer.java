package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** JPEG stills of finished outputs. */
public final class Thumbnailer {

    private final Tools tools;

    public Thumbnailer(Tools tools) {
        this.tools = tools;
    }

    /** Seeks before decoding (fast, and exact: ffmpeg decodes from the keyframe up to the time). */
    public void thumbnail(Path video, double seconds, int width, Path jpg)
            throws BadMediaException, ToolFailureException {
        Path temp = OutputFiles.temporaryFor(jpg);
        still(command(video, seconds, width, temp), temp, jpg, "at " + seconds + " s");
    }

    /** The frame of this number (0 for the first, in display order): a frame a measurement pointed at. */
    public void frame(Path video, long number, int width, Path jpg) throws BadMediaException, ToolFailureException {
        Threads threads = Threads.here();
        List<String> cmd = tools.ffmpegCommand();
        cmd.addAll(threads.decoder());
        cmd.add("-y");
        cmd.addAll(Containers.input(video));
        cmd.addAll(List.of(
                "-an", "-vf", "select=eq(n\\," + number + "),scale=" + width + ":-2", "-frames:v", "1", "-q:v", "3"));
        Path temp = OutputFiles.temporaryFor(jpg);
        cmd.addAll(List.of("-f", "mjpeg", "file:" + temp.toAbsolutePath()));
        still(cmd, temp, jpg, "number " + number);
    }

    private static void still(List<String> cmd, Path temp, Path jpg, String which)
            throws BadMediaException, ToolFailureException {
        Path log = jpg.resolveSibling("." + jpg.getFileName() + ".log");
        try {
            new FfmpegRun(cmd, log, 0).run(Progress.Listener.IGNORE, () -> false);
            if (!Files.exists(temp) || Files.size(temp) == 0) {
                throw new BadMediaException("no frame " + which + " for a still");
            }
            OutputFiles.publish(temp, jpg);
        } catch (StoppedException e) {
            throw new IllegalStateException("a thumbnail cannot be stopped", e);
        } catch (IOException e) {
            throw new ToolFailureException("cannot write " + jpg.getFileName() + ": " + e.getMessage(), e);
        } finally {
            FfmpegRun.deleteQuietly(temp);
            FfmpegRun.deleteQuietly(log);
        }
    }

    List<String> command(Path video, double seconds, int width, Path jpg) {
        Threads threads = Threads.here();
        List<String> cmd = tools.ffmpegCommand();
        cmd.addAll(threads.filters());
        cmd.addAll(threads.decoder());
        cmd.addAll(List.of("-y", "-ss", String.format(Locale.ROOT, "%.3f", seconds)));
        cmd.addAll(Containers.input(video));
        cmd.addAll(List.of("-frames:v", "1", "-an", "-vf", "scale=" + width + ":-2", "-q:v", "3"));
        cmd.addAll(threads.encoder());
        cmd.addAll(List.of("-f", "mjpeg", "file:" + jpg.toAbsolutePath()));
        return cmd;
    }
}
