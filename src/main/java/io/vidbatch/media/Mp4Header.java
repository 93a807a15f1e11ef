package io.vidbatch.media;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the output check needs from an MP4 that ffmpeg has just written, read from its movie box
 * in this JVM. Starting ffprobe costs about 40 ms of CPU before it reads a byte (Debian's build
 * loads 215 shared libraries): on a 10 s input, more than the rest of vidbatch's overhead.
 *
 * <p>Only the plain layout ffmpeg's MP4 muxer writes is read: one movie box holding every sample
 * table, no fragments, edit lists that only shift a track, top-level boxes that tile the file
 * exactly and every track's samples inside its media data. A file that is anything else, or
 * holds anything this reader does not know (a track type, a codec, cover art), gives
 * {@link Optional#empty()} and is left to ffprobe. It reads what ffprobe would report for those
 * files: packet counts, the video's edited duration, stream types in file order, chapters and
 * the colour description.
 */
final class Mp4Header {

    /** A movie box of an ffmpeg MP4 holds ~12 bytes per sample: 64 MiB is hours of 120 fps. */
    private static final long MAX_MOVIE_BYTES = 64L << 20;

    private static final int MAX_TOP_LEVEL_BOXES = 64;

    /** ISO/IEC 23091-2 code points, as ffmpeg names them. */
    private static final Map<Integer, String> TRANSFERS = Map.ofEntries(
            Map.entry(1, "bt709"),
            Map.entry(4, "bt470m"),
            Map.entry(5, "bt470bg"),
            Map.entry(6, "smpte170m"),
            Map.entry(7, "smpte240m"),
            Map.entry(8, "linear"),
            Map.entry(11, "iec61966-2-4"),
            Map.entry(13, "iec61966-2-1"),
            Map.entry(14, "bt2020-10"),
            Map.entry(15, "bt2020-12"),
            Map.entry(16, "smpte2084"),
            Map.entry(18, "arib-std-b67"));

    private static final Map<Integer, String> PRIMARIES = Map.of(
            1,
            "bt709",
            4,
            "bt470m",
            5,
            "bt470bg",
            6,
            "smpte170m",
            7,
            "smpte240m",
            9,
            "bt2020",
            11,
            "smpte431",
            12,
            "smpte432");

    private static final Map<Integer, String> MATRICES =
            Map.of(0, "gbr", 1, "bt709", 5, "bt470bg", 6, "smpte170m", 7, "smpte240m", 9, "bt2020nc", 10, "bt2020c");

    private static final Map<String, String> VIDEO_CODECS =
            Map.of("avc1", "h264", "avc3", "h264", "hvc1", "hevc", "hev1", "hevc", "av01", "av1", "vp09", "vp9");

    private static final Map<String, String> AUDIO_CODECS =
            Map.of("Opus", "opus", "fLaC", "flac", "ac-3", "ac3", "ec-3", "eac3");

    private static final Map<String, String> SUBTITLE_CODECS = Map.of("tx3g", "mov_text", "wvtt", "webvtt");

    private Mp4Header() {}

    /** The file's streams as ffprobe would count them, or empty when ffprobe must look. */
    static Optional<MediaInfo> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return Optional.of(read(ch));
        } catch (IOException
                | Unreadable
                | BufferUnderflowException
                | IllegalArgumentException
                | IndexOutOfBoundsException
                | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** Thrown where the file leaves the plain layout; never escapes this class. */
    private static final class Unreadable extends Exception {
        Unreadable() {
            super(null, null, false, false);
        }
    }

    private static MediaInfo read(FileChannel ch) throws IOException, Unreadable {
        long size = ch.size();
        ByteBuffer movie = null;
        long mediaStart = -1;
        long mediaEnd = -1;
        long pos = 0;
        for (int n = 0; pos < size; n++) {
            if (n == MAX_TOP_LEVEL_BOXES || size - pos < 8) {
                throw new Unreadable();
            }
            Header h = header(readFully(ch, pos, (int) Math.min(16, size - pos)));
            long boxSize = h.size();
            int header = h.length();
            // Size 0 ("to the end") is what a muxer leaves when it never finished the file.
            if (boxSize < header || boxSize > size - pos) {
                throw new Unreadable();
            }
            switch (h.type()) {
                case "moov" -> {
                    if (movie != null || boxSize > MAX_MOVIE_BYTES) {
                        throw new Unreadable();
                    }
                    movie = readFully(ch, pos + header, (int) (boxSize - header));
                }
                case "mdat" -> {
                    if (mediaStart >= 0) {
                        throw new Unreadable();
                    }
                    mediaStart = pos + header;
                    mediaEnd = pos + boxSize;
                }
                case "moof", "mfra", "sidx" -> throw new Unreadable();
                default -> {
                    // ftyp, free, skip: nothing the check needs
                }
            }
            pos += boxSize;
        }
        if (movie == null || mediaStart < 0) {
            throw new Unreadable();
        }
        return movie(movie, size, mediaStart, mediaEnd);
    }

    private static MediaInfo movie(ByteBuffer moov, long fileSize, long mediaStart, long mediaEnd) throws Unreadable {
        long timescale = 0;
        long duration = 0;
        int chapterList = -1;
        List<Track> tracks = new ArrayList<>();
        for (Box b : children(moov)) {
            switch (b.type) {
                case "mvhd" -> {
                    int version = b.data.get() & 0xff;
                    b.data.position(version == 1 ? 20 : 12);
                    timescale = Integer.toUnsignedLong(b.data.getInt());
                    duration = version == 1 ? b.data.getLong() : Integer.toUnsignedLong(b.data.getInt());
                    // ffmpeg applies the movie's matrix to every track's: only the identity leaves them as they are.
                    b.data.position(version == 1 ? 48 : 36);
                    if (!Arrays.equals(matrix(b.data), IDENTITY)) {
                        throw new Unreadable();
                    }
                }
                case "trak" -> tracks.add(track(b.data));
                case "udta" -> chapterList = userData(b.data);
                case "mvex", "meta" -> throw new Unreadable(); // fragments; file-level metadata holding cover art
                default -> {}
            }
        }
        if (timescale <= 0 || duration < 0 || tracks.isEmpty()) {
            throw new Unreadable();
        }
        Set<Long> chapterTracks = new HashSet<>();
        for (Track t : tracks) {
            chapterTracks.addAll(t.chapterRefs);
            t.checkChunks(mediaStart, mediaEnd);
        }
        MediaInfo.Video video = null;
        int chapters = chapterList;
        List<MediaInfo.Stream> streams = new ArrayList<>();
        Map<String, Integer> perType = new HashMap<>();
        for (Track t : tracks) {
            String type = t.type;
            String codec = t.codec;
            if (chapterTracks.contains(t.id)) {
                // ffmpeg reads a chapter track as chapters and lists it as a data stream.
                if (chapterList >= 0 && chapterList != t.samples) {
                    throw new Unreadable();
                }
                chapters = (int) t.samples;
                type = "data";
                codec = "bin_data";
            } else if (type.equals("text")) {
                throw new Unreadable();
            }
            if (type.equals("video") && video == null) {
                video = t.video(timescale);
            }
            int typeIndex = perType.merge(type, 1, Integer::sum) - 1;
            streams.add(
                    new MediaInfo.Stream(streams.size(), type, typeIndex, codec, t.language, null, t.enabled, false));
        }
        return new MediaInfo(
                0, (double) duration / timescale, fileSize, video, List.copyOf(streams), Math.max(chapters, 0));
    }

    /** The count of chapters in a Nero chapter list (chpl), or -1 when there is none. */
    private static int userData(ByteBuffer udta) throws Unreadable {
        for (Box b : children(udta)) {
            switch (b.type) {
                case "chpl" -> {
                    int version = b.data.get() & 0xff;
                    // ffmpeg writes version 1, whose count follows four reserved bytes.
                    b.data.position(version == 1 ? 8 : 4);
                    return b.data.get() & 0xff;
                }
                case "meta" -> {
                    if (contains(b.data, "covr")) {
                        throw new Unreadable(); // cover art: ffprobe lists it as a video stream
                    }
                }
                default -> {}
            }
        }
        return -1;
    }

    private static boolean contains(ByteBuffer b, String type) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = b.position(); i + 4 <= b.limit(); i++) {
            if (b.get(i) == t[0] && b.get(i + 1) == t[1] && b.get(i + 2) == t[2] && b.get(i + 3) == t[3]) {
                return true;
            }
        }
        return false;
    }

    /** One track, as far as the check needs it. */
    private static final class Track {
        long id;
        boolean enabled;
        int rotation;
        final List<Long> chapterRefs = new ArrayList<>();
        /** What the track's one edit shows, in the movie's timescale; -1 when it has none. */
        long editDuration = -1;

        long mediaTimescale;
        long mediaDuration;
        String language;
        String handler;
        String type;
        String codec;
        int width;
        int height;
        String transfer;
        String primaries;
        String matrix;
        long samples = -1;
        /** The sum of the samples' durations (stts), in the media's timescale. */
        long sampleTime;

        long longestSample;

        /** Every sample's size when they are all alike, else 0 and {@link #sizes} holds them. */
        long sampleSize;

        ByteBuffer sizes;
        long[] chunks = new long[0];
        /** The sample-to-chunk table: from chunk runFirst[i] (1-based) on, runSamples[i] samples a chunk. */
        long[] runFirst = new long[0];

        long[] runSamples = new long[0];

        /**
         * The tables agree on the number of samples, and every chunk lies whole inside the media
         * data: a file cut short, or written short, does not pass.
         */
        void checkChunks(long mediaStart, long mediaEnd) throws Unreadable {
            long sample = 0;
            int run = 0;
            for (int k = 0; k < chunks.length; k++) {
                if (runFirst.length == 0) {
                    throw new Unreadable();
                }
                while (run + 1 < runFirst.length && runFirst[run + 1] <= k + 1) {
                    run++;
                }
                long n = runSamples[run];
                if (n > samples - sample) {
                    throw new Unreadable();
                }
                long bytes = 0;
                for (long i = sample; i < sample + n; i++) {
                    bytes = Math.addExact(
                            bytes, sizes == null ? sampleSize : Integer.toUnsignedLong(sizes.getInt((int) (i * 4))));
                }
                sample += n;
                if (chunks[k] < mediaStart || chunks[k] > mediaEnd - bytes) {
                    throw new Unreadable();
                }
            }
            if (sample != samples) {
                throw new Unreadable();
            }
        }

        MediaInfo.Video video(long movieTimescale) throws Unreadable {
            if (mediaTimescale <= 0 || samples <= 0 || sampleTime <= 0 || width <= 0 || height <= 0) {
                throw new Unreadable();
            }
            // The media's duration is its samples' time, give or take the B-frames' delay that ffmpeg
            // adds to it: anything else (a sample hours long) makes ffmpeg's timestamps ours to guess.
            if (Math.abs(mediaDuration - sampleTime) > 4 * longestSample) {
                throw new Unreadable();
            }
            // As ffmpeg's mov demuxer: the shorter of the media's duration and its samples' time,
            // then of what the edit shows (its start is the B-frames' delay, not a cut).
            long span = Math.min(mediaDuration, sampleTime);
            double seconds = (double) span / mediaTimescale;
            if (editDuration >= 0) {
                double shown = (double) editDuration / movieTimescale;
                // An edit that cuts frames off makes the packet count a matter of how ffprobe
                // treats them: only one that shows all the samples, give or take a frame, is read.
                if (shown < seconds - seconds / samples) {
                    throw new Unreadable();
                }
                seconds = Math.min(seconds, shown);
            }
            double rate = samples / seconds;
            return new MediaInfo.Video(
                    codec, width, height, rotation, rate, rate, samples, seconds, transfer, primaries, matrix);
        }
    }

    private static Track track(ByteBuffer trak) throws Unreadable {
        Track t = new Track();
        for (Box b : children(trak)) {
            switch (b.type) {
                case "tkhd" -> trackHeader(b.data, t);
                case "tref" -> {
                    for (Box r : children(b.data)) {
                        if (r.type.equals("chap")) {
                            while (r.data.remaining() >= 4) {
                                t.chapterRefs.add(Integer.toUnsignedLong(r.data.getInt()));
                            }
                        }
                    }
                }
                case "edts" -> edits(b.data, t);
                case "mdia" -> media(b.data, t);
                default -> {}
            }
        }
        if (t.type == null || t.codec == null || t.samples < 0 || t.id == 0) {
            throw new Unreadable();
        }
        return t;
    }

    private static void trackHeader(ByteBuffer d, Track t) throws Unreadable {
        int version = d.get() & 0xff;
        t.enabled = (d.get(3) & 1) == 1;
        d.position(version == 1 ? 20 : 12);
        t.id = Integer.toUnsignedLong(d.getInt());
        d.position(version == 1 ? 52 : 40);
        int[] m = matrix(d);
        // A quarter turn or none, no scaling, no translation: what ffmpeg writes for rotation.
        boolean plain = m[2] == 0 && m[5] == 0 && m[6] == 0 && m[7] == 0 && m[8] == 0x40000000;
        int a = m[0] / 0x10000;
        int b = m[1] / 0x10000;
        boolean quarter = m[0] % 0x10000 == 0
                && m[1] % 0x10000 == 0
                && Math.abs(a) + Math.abs(b) == 1
                && m[3] == -m[1]
                && m[4] == m[0];
        if (!plain || !quarter) {
            throw new Unreadable();
        }
        // ffmpeg's av_display_rotation_get on the matrix as stored: counterclockwise degrees.
        int r = (int) Math.round(-Math.toDegrees(Math.atan2(b, a))) % 360;
        t.rotation = r < 0 ? r + 360 : r;
    }

    private static final int[] IDENTITY = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};

    private static int[] matrix(ByteBuffer d) {
        int[] m = new int[9];
        for (int i = 0; i < 9; i++) {
            m[i] = d.getInt();
        }
        return m;
    }

    private static void edits(ByteBuffer edts, Track t) throws Unreadable {
        for (Box b : children(edts)) {
            if (!b.type.equals("elst")) {
                continue;
            }
            int version = b.data.get() & 0xff;
            b.data.position(4);
            long entries = Integer.toUnsignedLong(b.data.getInt());
            // One edit that shows the media, after at most one empty edit that delays it (a
            // picture that starts after the sound); anything else is ffprobe's arithmetic.
            if (entries > 2) {
                throw new Unreadable();
            }
            for (long i = 0; i < entries; i++) {
                long duration = version == 1 ? b.data.getLong() : Integer.toUnsignedLong(b.data.getInt());
                long mediaTime = version == 1 ? b.data.getLong() : b.data.getInt();
                int rate = b.data.getInt();
                boolean empty = mediaTime == -1 && i == 0 && entries == 2;
                if (rate != 0x10000 || duration < 0 || mediaTime < 0 && !empty) {
                    throw new Unreadable();
                }
                if (!empty) {
                    t.editDuration = duration;
                }
            }
        }
    }

    private static void media(ByteBuffer mdia, Track t) throws Unreadable {
        for (Box b : children(mdia)) {
            switch (b.type) {
                case "mdhd" -> {
                    int version = b.data.get() & 0xff;
                    b.data.position(version == 1 ? 20 : 12);
                    t.mediaTimescale = Integer.toUnsignedLong(b.data.getInt());
                    t.mediaDuration = version == 1 ? b.data.getLong() : Integer.toUnsignedLong(b.data.getInt());
                    t.language = language(b.data.getShort() & 0x7fff);
                }
                case "hdlr" -> {
                    b.data.position(8);
                    t.handler = fourcc(b.data);
                }
                case "minf" -> {
                    for (Box m : children(b.data)) {
                        if (m.type.equals("stbl")) {
                            sampleTable(m.data, t);
                        }
                    }
                }
                default -> {}
            }
        }
    }

    /**
     * ISO 639-2/T, three letters of five bits each ("und" is no language); below 0x400 a
     * Macintosh language code, of which ffmpeg writes only 0 (English, on chapter tracks).
     */
    private static String language(int packed) throws Unreadable {
        if (packed < 0x400) {
            if (packed != 0) {
                throw new Unreadable();
            }
            return "eng";
        }
        char[] c = {
            (char) (((packed >> 10) & 0x1f) + 0x60),
            (char) (((packed >> 5) & 0x1f) + 0x60),
            (char) ((packed & 0x1f) + 0x60)
        };
        String l = new String(c);
        if (!l.matches("[a-z]{3}")) {
            throw new Unreadable();
        }
        return l.equals("und") ? null : l;
    }

    private static void sampleTable(ByteBuffer stbl, Track t) throws Unreadable {
        for (Box b : children(stbl)) {
            switch (b.type) {
                case "stsd" -> sampleDescription(b.data, t);
                case "stsz" -> {
                    b.data.position(4);
                    t.sampleSize = Integer.toUnsignedLong(b.data.getInt());
                    t.samples = Integer.toUnsignedLong(b.data.getInt());
                    if (t.sampleSize == 0) {
                        if (t.samples > b.data.remaining() / 4) {
                            throw new Unreadable();
                        }
                        t.sizes = b.data.slice();
                    }
                }
                case "stsc" -> {
                    b.data.position(4);
                    long n = Integer.toUnsignedLong(b.data.getInt());
                    if (n > b.data.remaining() / 12) {
                        throw new Unreadable();
                    }
                    t.runFirst = new long[(int) n];
                    t.runSamples = new long[(int) n];
                    for (int i = 0; i < n; i++) {
                        t.runFirst[i] = Integer.toUnsignedLong(b.data.getInt());
                        t.runSamples[i] = Integer.toUnsignedLong(b.data.getInt());
                        // The sample description: there is one, and a chunk naming another is skipped by ffmpeg.
                        if (b.data.getInt() != 1
                                || (i == 0 ? t.runFirst[0] != 1 : t.runFirst[i] <= t.runFirst[i - 1])) {
                            throw new Unreadable();
                        }
                    }
                }
                case "stts" -> {
                    b.data.position(4);
                    long n = Integer.toUnsignedLong(b.data.getInt());
                    if (n > b.data.remaining() / 8) {
                        throw new Unreadable();
                    }
                    for (long i = 0; i < n; i++) {
                        long count = Integer.toUnsignedLong(b.data.getInt());
                        long delta = Integer.toUnsignedLong(b.data.getInt());
                        t.sampleTime = Math.addExact(t.sampleTime, Math.multiplyExact(count, delta));
                        if (count > 0) {
                            t.longestSample = Math.max(t.longestSample, delta);
                        }
                    }
                }
                case "stco", "co64" -> {
                    b.data.position(4);
                    long n = Integer.toUnsignedLong(b.data.getInt());
                    int width = b.type.equals("co64") ? 8 : 4;
                    if (n > b.data.remaining() / width) {
                        throw new Unreadable();
                    }
                    t.chunks = new long[(int) n];
                    for (int i = 0; i < n; i++) {
                        t.chunks[i] = width == 8 ? b.data.getLong() : Integer.toUnsignedLong(b.data.getInt());
                    }
                }
                default -> {}
            }
        }
    }

    private static void sampleDescription(ByteBuffer stsd, Track t) throws Unreadable {
        stsd.position(4);
        if (stsd.getInt() != 1) {
            throw new Unreadable();
        }
        List<Box> entries = children(stsd.slice());
        if (entries.size() != 1) {
            throw new Unreadable();
        }
        Box entry = entries.get(0);
        String format = entry.type;
        switch (t.handler == null ? "" : t.handler) {
            case "vide" -> {
                t.type = "video";
                t.codec = VIDEO_CODECS.get(format);
                // VisualSampleEntry: 24 bytes, width and height, then 50 bytes before its boxes.
                entry.data.position(24);
                t.width = entry.data.getShort() & 0xffff;
                t.height = entry.data.getShort() & 0xffff;
                entry.data.position(78);
                for (Box b : children(entry.data.slice())) {
                    if (b.type.equals("colr")) {
                        colour(b.data, t);
                    }
                }
            }
            case "soun" -> {
                t.type = "audio";
                t.codec = format.equals("mp4a") ? mpeg4Audio(entry.data) : AUDIO_CODECS.get(format);
            }
            case "sbtl", "subt", "text" -> {
                t.type = format.equals("text") ? "text" : "subtitle";
                t.codec = format.equals("text") ? "text" : SUBTITLE_CODECS.get(format);
            }
            default -> throw new Unreadable();
        }
    }

    /** The nclx colour description; the picture's own (in its bitstream) is the same in ffmpeg's files. */
    private static void colour(ByteBuffer d, Track t) {
        if (!fourcc(d).equals("nclx")) {
            return;
        }
        t.primaries = PRIMARIES.get(d.getShort() & 0xffff);
        t.transfer = TRANSFERS.get(d.getShort() & 0xffff);
        t.matrix = MATRICES.get(d.getShort() & 0xffff);
    }

    /** AAC-LC or MP3 inside mp4a, by the decoder config; null for anything else. */
    private static String mpeg4Audio(ByteBuffer entry) throws Unreadable {
        // AudioSampleEntry version 0 (QuickTime's 1 and 2 are longer): 28 bytes before its boxes.
        if (entry.getShort(8) != 0) {
            throw new Unreadable();
        }
        entry.position(28);
        for (Box b : children(entry.slice())) {
            if (!b.type.equals("esds")) {
                continue;
            }
            ByteBuffer d = b.data;
            d.position(4);
            if (d.get() != 0x03) {
                throw new Unreadable();
            }
            descriptorLength(d);
            d.getShort(); // ES_ID
            int flags = d.get() & 0xff;
            if ((flags & 0x80) != 0) {
                d.getShort();
            }
            if ((flags & 0x40) != 0) {
                d.position(d.position() + (d.get() & 0xff));
            }
            if ((flags & 0x20) != 0) {
                d.getShort();
            }
            if (d.get() != 0x04) {
                throw new Unreadable();
            }
            descriptorLength(d);
            int objectType = d.get() & 0xff;
            if (objectType == 0x69 || objectType == 0x6b) {
                return "mp3";
            }
            if (objectType != 0x40) {
                return null;
            }
            // AAC: only Low Complexity, what vidbatch's presets encode (ffprobe refuses some HE-AAC).
            d.position(d.position() + 12); // stream type, buffer size, bit rates
            if (d.get() != 0x05) {
                return null;
            }
            descriptorLength(d);
            return (d.get() & 0xff) >> 3 == 2 ? "aac" : null;
        }
        return null;
    }

    private static void descriptorLength(ByteBuffer d) {
        for (int i = 0; i < 4 && (d.get() & 0x80) != 0; i++) {
            // continuation bytes only
        }
    }

    private record Box(String type, ByteBuffer data) {}

    /** A box's size (header included), type, and the header's own length. */
    private record Header(long size, String type, int length) {}

    /** The box header at the buffer's position: a 32-bit size, the type, and a 64-bit size when the first is 1. */
    private static Header header(ByteBuffer b) {
        long size = Integer.toUnsignedLong(b.getInt());
        String type = fourcc(b);
        return size == 1 ? new Header(b.getLong(), type, 16) : new Header(size, type, 8);
    }

    /** The boxes in a box's payload; each box's data is its own payload, positioned at 0. */
    private static List<Box> children(ByteBuffer parent) throws Unreadable {
        List<Box> boxes = new ArrayList<>();
        ByteBuffer p = parent.slice();
        while (p.remaining() >= 8) {
            Header h = header(p);
            if (h.size() < h.length() || h.size() - h.length() > p.remaining()) {
                throw new Unreadable();
            }
            int length = (int) (h.size() - h.length());
            boxes.add(new Box(h.type(), p.slice(p.position(), length)));
            p.position(p.position() + length);
        }
        return boxes; // up to 7 bytes may trail: QuickTime structures end in a zero terminator
    }

    private static String fourcc(ByteBuffer b) {
        byte[] t = new byte[4];
        b.get(t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer readFully(FileChannel ch, long pos, int length) throws IOException, Unreadable {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new Unreadable();
            }
        }
        return b.flip();
    }
}
