package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How every ffmpeg and ffprobe run opens a file: only as one of the containers vidbatch takes,
 * and only from the local file system. ffmpeg guesses an input's format from its content, so
 * without this a text file named {@code evil.mp4} holding an HLS playlist or a concat script
 * makes ffmpeg read whatever files it names: another customer's media, or anything outside the
 * input roots. Those demuxers (hls, concat, image sequences, ...) are not on the list, and no
 * network or indirection protocol (http, subfile, concat:, data:) is allowed.
 */
public final class Containers {

    /**
     * ffmpeg's demuxers for the containers of {@code Inputs.VIDEO_EXTENSIONS}: MP4/MOV/3GP, Matroska
     * and WebM, AVI, MPEG program and transport streams, MXF, FLV, ASF (WMV), Ogg and Y4M. The MOV
     * demuxer's external data references stay off (its default).
     */
    static final String ACCEPTED = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpeg,mpegts,mxf,flv,asf,ogg,yuv4mpegpipe";

    private Containers() {}

    /** {@code -i file} for ffmpeg or ffprobe, restricted to the accepted containers. */
    public static List<String> input(Path file) {
        return List.of(
                "-format_whitelist", ACCEPTED, "-protocol_whitelist", "file", "-i", "file:" + file.toAbsolutePath());
    }

    /**
     * Our own concat list of encoded pieces: the concat demuxer for the list itself, and the
     * pieces it names opened under the same list (ffmpeg hands the whitelist down to them).
     */
    public static List<String> concatList(Path list) {
        return List.of(
                "-format_whitelist",
                "concat," + ACCEPTED,
                "-protocol_whitelist",
                "file",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                "file:" + list.toAbsolutePath());
    }

    /**
     * {@link #input} for a user's source, checked again where and when it is read. Planning took
     * the source with every link resolved; a link swapped in since (the file, or a folder on its
     * way) would redirect ffmpeg out of the input roots, so the path must still be its own real
     * path. What remains is the moment between this check and ffmpeg's open (docs/security.md).
     */
    public static List<String> source(Path planned) throws BadMediaException {
        checkSource(planned);
        return input(planned);
    }

    /** The check {@link #source} makes, for callers that build the command elsewhere. */
    public static void checkSource(Path planned) throws BadMediaException {
        Path p = planned.toAbsolutePath();
        try {
            if (Files.isSymbolicLink(p) || !p.toRealPath().equals(p)) {
                throw new BadMediaException("changed since it was found: a link now leads elsewhere (" + p.toRealPath()
                        + "); it was not read");
            }
        } catch (IOException e) {
            throw new BadMediaException("gone since it was found: " + e.getMessage());
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadMediaException("no longer a regular file; it was not read");
        }
    }

    private static final Pattern REFUSED =
            Pattern.compile("\\[([a-z0-9_,]+) @ 0x[0-9a-f]+\\] (\\[[a-z]+\\] )?Format not on whitelist");

    /**
     * The reason for a file whose content is a container we do not open, when ffmpeg's log says
     * so: "an HLS playlist (hls) is not a video file vidbatch reads ...".
     */
    public static Optional<String> refusal(String log) {
        Matcher m = REFUSED.matcher(log);
        if (!m.find()) {
            return Optional.empty();
        }
        String format = m.group(1);
        String what = switch (format) {
            case "hls" -> "an HLS playlist (hls)";
            case "concat" -> "an ffmpeg concat script (concat)";
            case "image2", "image2pipe" -> "an image sequence (" + format + ")";
            default -> "a " + format + " file";
        };
        return Optional.of(
                what + ": not a video container vidbatch reads; files that point at other files are refused");
    }
}
