package io.vidbatch.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Joins encoded video pieces (stream copy) and muxes the separately encoded audio into the
 * final file, verified before it is renamed into place.
 */
public final class Joiner {

    private final Tools tools;
    private final Verifier verifier;

    public Joiner(Tools tools) {
        this.tools = tools;
        this.verifier = new Verifier(new Prober(tools));
    }

    /** An encoded piece and its nominal length in the source's timeline. */
    public record Piece(Path file, double seconds) {}

    /**
     * @param audio   the encoded audio tracks (all of them, in the plan's order), or null
     * @param source  the source, for its subtitle tracks and chapters
     * @param streams the plan's tracks: its subtitles are taken from the source
     */
    public MediaInfo join(
            List<Piece> pieces,
            Path audio,
            Path source,
            StreamPlan.Map streams,
            Preset preset,
            Path output,
            Expected expected,
            Path log)
            throws BadMediaException, ToolFailureException {
        Path list = log.resolveSibling("concat.ffconcat");
        Path temp = OutputFiles.temporaryFor(output);
        try {
            Files.writeString(list, concatList(pieces), StandardCharsets.UTF_8);
            List<String> cmd = tools.ffmpegCommand();
            cmd.add("-y");
            cmd.addAll(Containers.concatList(list));
            int sourceInput = 1;
            if (audio != null) {
                cmd.addAll(Containers.input(audio));
                sourceInput = 2;
            }
            cmd.addAll(Containers.source(source));
            cmd.addAll(List.of("-map", "0:V:0"));
            if (audio != null) {
                cmd.addAll(List.of("-map", "1:a"));
            }
            cmd.addAll(List.of("-c", "copy"));
            cmd.addAll(Transcoder.subtitles(streams, sourceInput, preset));
            cmd.addAll(List.of("-map_chapters", Integer.toString(sourceInput), "-map_metadata:g", "-1"));
            cmd.addAll(preset.muxArgs());
            cmd.addAll(List.of("-f", preset.format(), "file:" + temp.toAbsolutePath()));
            new FfmpegRun(cmd, log, expected.seconds()).run(Progress.Listener.IGNORE, () -> false);
            MediaInfo info = verifier.verify(temp, expected);
            OutputFiles.publish(temp, output);
            return info;
        } catch (StoppedException e) {
            throw new IllegalStateException("a join cannot be stopped", e);
        } catch (IOException e) {
            throw new ToolFailureException("cannot write " + output.getFileName() + ": " + e.getMessage(), e);
        } finally {
            FfmpegRun.deleteQuietly(temp);
            FfmpegRun.deleteQuietly(list);
        }
    }

    /**
     * Each piece's length is stated: an encoded piece's last frame gets a guessed duration,
     * and with a variable frame rate the guess would shift every later piece.
     */
    static String concatList(List<Piece> pieces) {
        StringBuilder b = new StringBuilder("ffconcat version 1.0\n");
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            b.append("file '")
                    .append(p.file().toAbsolutePath().toString().replace("'", "'\\''"))
                    .append("'\n");
            if (i < pieces.size() - 1) {
                b.append(String.format(Locale.ROOT, "duration %.6f%n", p.seconds()));
            }
        }
        return b.toString();
    }
}
