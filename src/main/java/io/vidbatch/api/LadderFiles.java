package io.vidbatch.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files of a published ladder folder that the API hands out, by name: the playlists, the
 * manifest and the CMAF segments the packager writes (media/Packager), nothing else. A name is
 * checked here before it comes near a path, so none can climb out of the folder or pick another
 * file in it.
 */
final class LadderFiles {

    private static final Pattern NAME = Pattern.compile(
            "master\\.m3u8|manifest\\.mpd|media_[0-9]{1,3}\\.m3u8|init-[0-9]{1,3}\\.m4s|seg-[0-9]{1,3}-[0-9]{5}\\.m4s"
                    + "|subs_[0-9]{1,3}\\.m3u8|subs-[0-9]{1,3}\\.vtt|worst-(h264|hevc|av1)-[0-9]{3,4}p\\.jpg");

    /** Longer than any name the pattern allows ({@code worst-hevc-2160p.jpg} is 20): refused before it is matched. */
    private static final int MAX_NAME = 20;

    private LadderFiles() {}

    /** The content type to serve the named file with; empty for a name that is not a ladder file's. */
    static Optional<String> contentType(String name) {
        if (name == null || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        if (name.endsWith(".m3u8")) {
            return Optional.of("application/vnd.apple.mpegurl");
        }
        if (name.endsWith(".vtt")) {
            return Optional.of("text/vtt");
        }
        if (name.endsWith(".jpg")) {
            return Optional.of("image/jpeg");
        }
        return Optional.of(name.endsWith(".mpd") ? "application/dash+xml" : "video/mp4");
    }
}
