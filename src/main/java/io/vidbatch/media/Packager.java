package io.vidbatch.media;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Packages a ladder's renditions, already encoded in chunks, into CMAF segments that one DASH
 * manifest and one HLS multivariant playlist share: the chunks of each rung are joined and
 * segmented with stream copy by ffmpeg's DASH muxer, and the playlists are written from what it
 * made. The whole folder appears at once, by a rename, after every segment is checked.
 */
public final class Packager {

    public static final String MASTER = "master.m3u8";
    public static final String MANIFEST = "manifest.mpd";

    private final Tools tools;

    public Packager(Tools tools) {
        this.tools = tools;
    }

    /** One rung's chunks, in order, each with its length in the source's timeline. */
    public record RungChunks(Ladder.Fitted rung, List<Joiner.Piece> chunks) {}

    /** An audio track of the encoded audio file: its language ("und" when the source had none). */
    public record AudioTrack(String language, String title) {}

    /** A text subtitle track of the source, carried as WebVTT: its stream index in the source. */
    public record TextTrack(int stream, String language, String title) {}

    /**
     * What the player sees of each video rung.
     *
     * @param peakBits    the largest segment's bits per second, video alone
     * @param averageBits the rendition's bits per second over its whole length
     */
    public record Variant(
            String id, int width, int height, String codecs, long bytes, long peakBits, long averageBits) {}

    public record Packaged(Path dir, List<Variant> variants, int segments, double seconds) {}

    /**
     * @param audio     the input's encoded audio (every track), or null for a silent source
     * @param frameRate the source's frame rate, for the playlist
     * @param output    the folder to create; replaced if an earlier attempt left one
     */
    public Packaged packageLadder(
            List<RungChunks> rungs,
            Path audio,
            List<AudioTrack> tracks,
            Path source,
            List<TextTrack> texts,
            double frameRate,
            Path output,
            Path work,
            Path log)
            throws BadMediaException, ToolFailureException {
        Path temp = OutputFiles.temporaryFor(output);
        List<Path> lists = new ArrayList<>();
        try {
            OutputFiles.deleteTree(temp);
            Files.createDirectories(temp);
            List<String> cmd = tools.ffmpegCommand();
            cmd.add("-y");
            for (int i = 0; i < rungs.size(); i++) {
                Path list = work.resolve("rung-" + i + ".ffconcat");
                Files.writeString(list, Joiner.concatList(rungs.get(i).chunks()), StandardCharsets.UTF_8);
                lists.add(list);
                cmd.addAll(Containers.concatList(list));
            }
            if (audio != null) {
                cmd.addAll(Containers.input(audio));
            }
            StringBuilder sets = new StringBuilder("id=0,streams=");
            for (int i = 0; i < rungs.size(); i++) {
                cmd.addAll(List.of("-map", i + ":v:0"));
                sets.append(i == 0 ? "" : ",").append(i);
            }
            List<String> languages = new ArrayList<>();
            for (int a = 0; audio != null && a < tracks.size(); a++) {
                int out = rungs.size() + a;
                cmd.addAll(List.of("-map", rungs.size() + ":a:" + a));
                sets.append(" id=").append(a + 1).append(",streams=").append(out);
                // Each language set by us: the manifest's lang comes from it, and nothing else of the source's tags.
                languages.addAll(List.of(
                        "-metadata:s:" + out, "language=" + tracks.get(a).language()));
            }
            cmd.addAll(List.of("-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1"));
            cmd.addAll(languages);
            cmd.addAll(List.of(
                    "-f",
                    "dash",
                    // A segment ends at the first keyframe this long after it began: keyframes come
                    // every SEGMENT_SECONDS, give or take a frame, so each one starts a segment.
                    "-seg_duration",
                    String.format(Locale.ROOT, "%.3f", Ladder.SEGMENT_SECONDS / 2),
                    "-use_template",
                    "1",
                    "-use_timeline",
                    "1",
                    "-hls_playlist",
                    "1",
                    "-init_seg_name",
                    "init-$RepresentationID$.m4s",
                    "-media_seg_name",
                    "seg-$RepresentationID$-$Number%05d$.m4s",
                    "-adaptation_sets",
                    sets.toString(),
                    "file:" + temp.resolve(MANIFEST).toAbsolutePath()));
            double seconds = rungs.get(0).chunks().stream()
                    .mapToDouble(Joiner.Piece::seconds)
                    .sum();
            try {
                new FfmpegRun(cmd, log, seconds).run(Progress.Listener.IGNORE, () -> false);
            } catch (StoppedException e) {
                throw new IllegalStateException("packaging cannot be stopped", e);
            }
            Manifest mpd = Manifest.read(temp.resolve(MANIFEST));
            List<Variant> variants = check(mpd, rungs, temp);
            int audioSets = audio == null ? 0 : tracks.size();
            for (int i = 0; i < rungs.size() + audioSets; i++) {
                // The muxer stamps each segment with the wall clock: playlists would differ run to run.
                Path media = temp.resolve("media_" + i + ".m3u8");
                String text = Files.readString(media);
                Files.writeString(
                        media,
                        text.lines()
                                .filter(l -> !l.startsWith("#EXT-X-PROGRAM-DATE-TIME"))
                                .collect(Collectors.joining("\n", "", "\n")));
            }
            if (!texts.isEmpty()) {
                List<String> subs = tools.ffmpegCommand();
                subs.add("-y");
                subs.addAll(Containers.source(source));
                subs.addAll(TextTracks.extract(texts, temp));
                try {
                    new FfmpegRun(subs, log.resolveSibling(log.getFileName() + ".subtitles"), seconds)
                            .run(Progress.Listener.IGNORE, () -> false);
                } catch (StoppedException e) {
                    throw new IllegalStateException("packaging cannot be stopped", e);
                }
                TextTracks.writePlaylists(texts.size(), mpd.seconds(), temp);
                Path manifest = temp.resolve(MANIFEST);
                Files.writeString(manifest, TextTracks.addToManifest(Files.readString(manifest), texts, 1 + audioSets));
            }
            long audioPeak = 0;
            long audioAverage = 0;
            String audioCodecs = null;
            for (int a = 0; a < audioSets; a++) {
                Manifest.Representation r = mpd.representation(rungs.size() + a);
                audioPeak = Math.max(audioPeak, r.peakBits(temp));
                audioAverage = Math.max(audioAverage, r.averageBits(temp, mpd.seconds()));
                audioCodecs = r.codecs();
            }
            Files.writeString(
                    temp.resolve(MASTER),
                    master(
                            variants,
                            tracks.subList(0, audioSets),
                            texts,
                            audioCodecs,
                            audioPeak,
                            audioAverage,
                            frameRate),
                    StandardCharsets.UTF_8);
            OutputFiles.deleteTree(output);
            Files.move(temp, output, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new Packaged(output, variants, mpd.representation(0).segments(), mpd.seconds());
        } catch (IOException e) {
            throw new ToolFailureException("cannot write " + output.getFileName() + ": " + e.getMessage(), e);
        } finally {
            lists.forEach(FfmpegRun::deleteQuietly);
            try {
                OutputFiles.deleteTree(temp);
            } catch (IOException ignored) {
                // a leftover temporary folder is swept with the job's work files
            }
        }
    }

    /**
     * Every rung has the same segments at the same times (so a player can switch at any
     * boundary), and every segment the manifest names is there.
     */
    private static List<Variant> check(Manifest mpd, List<RungChunks> rungs, Path dir) throws BadMediaException {
        List<Variant> variants = new ArrayList<>();
        Manifest.Representation first = mpd.representation(0);
        for (int i = 0; i < rungs.size(); i++) {
            Manifest.Representation r = mpd.representation(i);
            if (!r.timeline().equals(first.timeline())) {
                throw new BadMediaException(
                        "package check failed: " + rungs.get(i).rung().id() + " has segments at other times than "
                                + rungs.get(0).rung().id());
            }
            Ladder.Fitted f = rungs.get(i).rung();
            if (r.width() != f.width() || r.height() != f.height()) {
                throw new BadMediaException("package check failed: " + f.id() + " is " + r.width() + "x" + r.height());
            }
            variants.add(new Variant(
                    f.id(),
                    f.width(),
                    f.height(),
                    r.codecs(),
                    r.bytes(dir),
                    r.peakBits(dir),
                    r.averageBits(dir, mpd.seconds())));
        }
        return variants;
    }

    /**
     * The multivariant playlist, written here rather than taken from the muxer: it gives every
     * variant its average bandwidth and frame rate and every audio rendition its language.
     */
    static String master(
            List<Variant> variants,
            List<AudioTrack> tracks,
            List<TextTrack> texts,
            String audioCodecs,
            long audioPeak,
            long audioAverage,
            double frameRate) {
        StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        List<String> names = new ArrayList<>();
        for (int a = 0; a < tracks.size(); a++) {
            AudioTrack t = tracks.get(a);
            // NAME must be unique within the group: a second English track is "eng 2".
            String name = t.title() != null ? t.title() : t.language();
            name = names.contains(name) ? name + " " + (a + 1) : name;
            names.add(name);
            b.append(String.format(
                    Locale.ROOT,
                    "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"%s\",LANGUAGE=\"%s\",DEFAULT=%s,AUTOSELECT=YES,"
                            + "URI=\"media_%d.m3u8\"%n",
                    quoted(name),
                    quoted(t.language()),
                    a == 0 ? "YES" : "NO",
                    variants.size() + a));
        }
        b.append(TextTracks.media(texts));
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            b.append(String.format(
                    Locale.ROOT,
                    "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,CODECS=\"%s\",RESOLUTION=%dx%d,FRAME-RATE=%.3f%s%n"
                            + "media_%d.m3u8%n",
                    v.peakBits() + audioPeak,
                    v.averageBits() + audioAverage,
                    audioCodecs == null ? v.codecs() : v.codecs() + "," + audioCodecs,
                    v.width(),
                    v.height(),
                    frameRate,
                    (tracks.isEmpty() ? "" : ",AUDIO=\"audio\"") + (texts.isEmpty() ? "" : ",SUBTITLES=\"subs\""),
                    i));
        }
        return b.toString();
    }

    /** Playlist attribute values cannot hold quotes or line breaks. */
    static String quoted(String s) {
        return s.replaceAll("[\"\\r\\n]", "'");
    }

    /** What the DASH muxer wrote: each representation's codecs, size and segment timeline. */
    record Manifest(List<Representation> representations, double seconds) {

        record Representation(
                String id, String codecs, int width, int height, long timescale, List<long[]> segmentsAt) {

            /** Start and duration of each segment, as text: equal for rungs whose segments match. */
            String timeline() {
                return segmentsAt.stream().map(s -> s[0] + "+" + s[1]).collect(Collectors.joining(","));
            }

            int segments() {
                return segmentsAt.size();
            }

            Path segment(Path dir, int n) {
                return dir.resolve(String.format(Locale.ROOT, "seg-%s-%05d.m4s", id, n));
            }

            long bytes(Path dir) throws BadMediaException {
                long total = size(dir.resolve("init-" + id + ".m4s"));
                for (int n = 1; n <= segmentsAt.size(); n++) {
                    total += size(segment(dir, n));
                }
                return total;
            }

            long peakBits(Path dir) throws BadMediaException {
                long peak = 0;
                for (int n = 1; n <= segmentsAt.size(); n++) {
                    double secs = (double) segmentsAt.get(n - 1)[1] / timescale;
                    if (secs > 0) {
                        peak = Math.max(peak, Math.round(size(segment(dir, n)) * 8 / secs));
                    }
                }
                return peak;
            }

            long averageBits(Path dir, double seconds) throws BadMediaException {
                return seconds > 0 ? Math.round(bytes(dir) * 8 / seconds) : 0;
            }

            private static long size(Path p) throws BadMediaException {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new BadMediaException("package check failed: " + p.getFileName() + " is missing");
                }
            }
        }

        Representation representation(int i) throws BadMediaException {
            String id = Integer.toString(i);
            return representations.stream()
                    .filter(r -> r.id.equals(id))
                    .findFirst()
                    .orElseThrow(() -> new BadMediaException("package check failed: no representation " + id));
        }

        static Manifest read(Path file) throws BadMediaException, IOException {
            Document doc;
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                f.setNamespaceAware(false);
                doc = f.newDocumentBuilder().parse(file.toFile());
            } catch (ParserConfigurationException | SAXException e) {
                throw new BadMediaException("package check failed: the manifest cannot be read: " + e.getMessage());
            }
            List<Representation> reps = new ArrayList<>();
            NodeList nodes = doc.getElementsByTagName("Representation");
            for (int i = 0; i < nodes.getLength(); i++) {
                Element r = (Element) nodes.item(i);
                Element template =
                        (Element) r.getElementsByTagName("SegmentTemplate").item(0);
                long timescale = Long.parseLong(template.getAttribute("timescale"));
                List<long[]> segments = new ArrayList<>();
                NodeList s = template.getElementsByTagName("S");
                long t = 0;
                for (int j = 0; j < s.getLength(); j++) {
                    Element e = (Element) s.item(j);
                    if (!e.getAttribute("t").isEmpty()) {
                        t = Long.parseLong(e.getAttribute("t"));
                    }
                    long d = Long.parseLong(e.getAttribute("d"));
                    int repeat = e.getAttribute("r").isEmpty() ? 0 : Integer.parseInt(e.getAttribute("r"));
                    for (int k = 0; k <= repeat; k++) {
                        segments.add(new long[] {t, d});
                        t += d;
                    }
                }
                reps.add(new Representation(
                        r.getAttribute("id"),
                        r.getAttribute("codecs"),
                        r.getAttribute("width").isEmpty() ? 0 : Integer.parseInt(r.getAttribute("width")),
                        r.getAttribute("height").isEmpty() ? 0 : Integer.parseInt(r.getAttribute("height")),
                        timescale,
                        segments));
            }
            String duration = doc.getDocumentElement().getAttribute("mediaPresentationDuration");
            return new Manifest(reps, isoSeconds(duration));
        }

        /** {@code PT1M2.5S} as seconds: the muxer's presentation length. */
        static double isoSeconds(String d) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("PT(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9.]+)S)?")
                    .matcher(d);
            if (!m.matches()) {
                return 0;
            }
            double h = m.group(1) == null ? 0 : Double.parseDouble(m.group(1));
            double min = m.group(2) == null ? 0 : Double.parseDouble(m.group(2));
            double s = m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
            return h * 3600 + min * 60 + s;
        }
    }
}
