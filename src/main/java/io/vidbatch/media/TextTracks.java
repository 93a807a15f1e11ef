package io.vidbatch.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A ladder's text subtitles: each of the source's text tracks as one WebVTT file, named by an HLS
 * subtitle playlist (one segment: the whole file) and by a DASH text adaptation set. Small work,
 * done where the ladder is packaged.
 */
final class TextTracks {

    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?");

    private TextTracks() {}

    static String file(int n) {
        return "subs-" + n + ".vtt";
    }

    static String playlist(int n) {
        return "subs_" + n + ".m3u8";
    }

    /** A language tag as the playlists may carry it: a source's tag is anybody's text. */
    static String language(String tag) {
        return tag != null && LANGUAGE.matcher(tag).matches() ? tag : "und";
    }

    /** The ffmpeg arguments (after the source's {@code -i}) that write every track as WebVTT into {@code dir}. */
    static List<String> extract(List<Packager.TextTrack> tracks, Path dir) {
        List<String> args = new ArrayList<>();
        for (int n = 0; n < tracks.size(); n++) {
            args.addAll(List.of(
                    "-map",
                    "0:" + tracks.get(n).stream(),
                    "-c:s",
                    "webvtt",
                    "-map_metadata",
                    "-1",
                    "-f",
                    "webvtt",
                    "file:" + dir.resolve(file(n)).toAbsolutePath()));
        }
        return args;
    }

    /** Each track's HLS playlist: one segment, the whole file, for the whole presentation. */
    static void writePlaylists(int count, double seconds, Path dir) throws IOException {
        for (int n = 0; n < count; n++) {
            Files.writeString(
                    dir.resolve(playlist(n)),
                    String.format(
                            Locale.ROOT,
                            "#EXTM3U%n#EXT-X-VERSION:3%n#EXT-X-TARGETDURATION:%d%n#EXT-X-MEDIA-SEQUENCE:0%n"
                                    + "#EXT-X-PLAYLIST-TYPE:VOD%n#EXTINF:%.3f,%n%s%n#EXT-X-ENDLIST%n",
                            (long) Math.ceil(seconds),
                            seconds,
                            file(n)),
                    StandardCharsets.UTF_8);
        }
    }

    /** The multivariant playlist's line for each track, in the group {@code subs}. */
    static String media(List<Packager.TextTrack> tracks) {
        StringBuilder b = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (int n = 0; n < tracks.size(); n++) {
            Packager.TextTrack t = tracks.get(n);
            String name = Packager.quoted(t.title() != null ? t.title() : language(t.language()));
            name = names.contains(name) ? name + " " + (n + 1) : name;
            names.add(name);
            b.append(String.format(
                    Locale.ROOT,
                    "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"%s\",LANGUAGE=\"%s\",DEFAULT=NO,AUTOSELECT=YES,"
                            + "URI=\"%s\"%n",
                    name,
                    language(t.language()),
                    playlist(n)));
        }
        return b.toString();
    }

    /**
     * The manifest with a text adaptation set per track added to its period: WebVTT files that
     * DASH players load whole.
     */
    static String addToManifest(String mpd, List<Packager.TextTrack> tracks, int firstSetId) throws BadMediaException {
        int end = mpd.lastIndexOf("</Period>");
        int line = mpd.lastIndexOf('\n', end) + 1;
        if (end < 0) {
            throw new BadMediaException("package check failed: the manifest has no period");
        }
        StringBuilder sets = new StringBuilder();
        for (int n = 0; n < tracks.size(); n++) {
            sets.append(String.format(
                    Locale.ROOT,
                    "\t\t<AdaptationSet id=\"%d\" contentType=\"text\" mimeType=\"text/vtt\" lang=\"%s\">%n"
                            + "\t\t\t<Role schemeIdUri=\"urn:mpeg:dash:role:2011\" value=\"subtitle\" />%n"
                            + "\t\t\t<Representation id=\"subs-%d\" bandwidth=\"256\">%n"
                            + "\t\t\t\t<BaseURL>%s</BaseURL>%n"
                            + "\t\t\t</Representation>%n"
                            + "\t\t</AdaptationSet>%n",
                    firstSetId + n,
                    language(tracks.get(n).language()),
                    n,
                    file(n)));
        }
        return mpd.substring(0, line) + sets + mpd.substring(line);
    }
}
