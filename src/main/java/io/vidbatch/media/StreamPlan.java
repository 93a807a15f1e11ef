package io.vidbatch.media;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which of a source's streams go into its output and what becomes of every one of them: the
 * picture is converted, the audio tracks asked for are converted with their language, title and
 * default flag, text subtitles are converted to the container's text format, chapters are kept,
 * and anything else is dropped with the reason. Nothing is lost without a word in the report.
 *
 * @param audio     the audio tracks kept, by their place among the source's audio ({@code 0:a:N})
 * @param subtitles the subtitle tracks kept, by their place among the source's subtitles
 * @param chapters  the chapters kept
 * @param hdr       the source's high dynamic range, or null for SDR
 * @param fates     one line per source stream
 */
public record StreamPlan(List<Integer> audio, List<Integer> subtitles, int chapters, Hdr hdr, List<Fate> fates) {

    /** The {@code audio} parameter's default: every audio track. */
    public static final String ALL = "all";

    public static final String FIRST = "first";
    private static final Pattern LANGUAGES = Pattern.compile("[a-z]{2,3}(,[a-z]{2,3})*");
    private static final Set<String> TEXT_SUBTITLES =
            Set.of("subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text");
    private static final Set<String> BITMAP_SUBTITLES =
            Set.of("hdmv_pgs_subtitle", "dvd_subtitle", "dvb_subtitle", "xsub");

    /**
     * What became of one source stream.
     *
     * @param fate {@code converted}, {@code kept} or {@code dropped}
     * @param how  the output format, or why it was dropped
     */
    public record Fate(int index, String type, String codec, String language, String title, String fate, String how) {}

    /**
     * What a plan travels as to a worker: the tracks to map, and the source's high dynamic range
     * (null for SDR), which a 10-bit preset keeps and an 8-bit one tone-maps.
     */
    public record Map(List<Integer> audio, List<Integer> subtitles, Hdr hdr) {
        public static final Map NONE = new Map(List.of(), List.of(), null);

        /** The same picture treatment, no audio or subtitle tracks: a video segment's. */
        public Map pictureOnly() {
            return new Map(List.of(), List.of(), hdr);
        }
    }

    /**
     * An HDR source's colour description and metadata.
     *
     * @param transfer      {@code smpte2084} (PQ, HDR10) or {@code arib-std-b67} (HLG)
     * @param masterDisplay the mastering display in x265's notation ({@code G(x,y)B(x,y)R(x,y)WP(x,y)L(max,min)},
     *                      chromaticities in 0.00002, luminance in 0.0001 cd/m²), or null
     * @param contentLight  MaxCLL,MaxFALL in cd/m², or null
     */
    public record Hdr(String transfer, String primaries, String matrix, String masterDisplay, String contentLight) {

        /** The mastering display as SVT-AV1 takes it: chromaticities and luminance as decimals. */
        public String svtMasterDisplay() {
            Matcher m = Pattern.compile("(\\w+)\\((\\d+),(\\d+)\\)").matcher(masterDisplay);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                double scale = m.group(1).equals("L") ? 10000 : 50000;
                b.append(m.group(1))
                        .append('(')
                        .append(decimal(Long.parseLong(m.group(2)) / scale))
                        .append(',')
                        .append(decimal(Long.parseLong(m.group(3)) / scale))
                        .append(')');
            }
            return b.toString();
        }

        private static String decimal(double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
    }

    public Map map() {
        return new Map(audio, subtitles, hdr);
    }

    /** Null when {@code audio} is a valid choice: all, first, or languages ("eng,fra"). */
    public static String checkAudio(String audio) {
        String a = audio.strip().toLowerCase(Locale.ROOT);
        return a.equals(ALL) || a.equals(FIRST) || LANGUAGES.matcher(a).matches()
                ? null
                : "'" + audio + "' must be all, first, or languages as ISO 639 codes separated by commas (eng,fra)";
    }

    /**
     * @throws BadMediaException when languages were asked for and the source has none of them
     */
    public static StreamPlan of(MediaInfo info, String audioChoice, Preset preset) throws BadMediaException {
        return of(info, audioChoice, preset, null);
    }

    /** @param hdr the source's HDR description when it is HDR (read by {@link Prober#hdr}), else null */
    public static StreamPlan of(MediaInfo info, String audioChoice, Preset preset, Hdr hdr) throws BadMediaException {
        String choice = audioChoice == null || audioChoice.isBlank()
                ? ALL
                : audioChoice.strip().toLowerCase(Locale.ROOT);
        List<MediaInfo.Stream> tracks = info.ofType("audio");
        List<String> languages =
                choice.equals(ALL) || choice.equals(FIRST) ? List.of() : Arrays.asList(choice.split(","));
        List<Integer> audio = new ArrayList<>();
        List<Integer> subtitles = new ArrayList<>();
        List<Fate> fates = new ArrayList<>();
        String subtitleFormat = preset.subtitleCodec();
        boolean videoTaken = false;
        for (MediaInfo.Stream s : info.streams()) {
            switch (s.type()) {
                case "video" -> {
                    if (s.coverArt()) {
                        fates.add(fate(s, "dropped", "cover art (an attached picture)"));
                    } else if (!videoTaken) {
                        videoTaken = true;
                        fates.add(fate(
                                s,
                                "converted",
                                hdr == null
                                        ? preset.id()
                                        : preset.tenBit()
                                                ? preset.id() + ", HDR kept (" + hdr.transfer() + ", " + hdr.primaries()
                                                        + (hdr.masterDisplay() != null ? ", mastering display" : "")
                                                        + (hdr.contentLight() != null
                                                                ? ", light levels " + hdr.contentLight()
                                                                : "")
                                                        + ")"
                                                : preset.id() + ", tone-mapped from HDR (" + hdr.transfer()
                                                        + ") to SDR BT.709"));
                    } else {
                        fates.add(fate(s, "dropped", "a second picture: the output has one video stream"));
                    }
                }
                case "audio" -> {
                    boolean wanted = choice.equals(ALL)
                            || choice.equals(FIRST) && s.typeIndex() == 0
                            || s.language() != null
                                    && languages.contains(s.language().toLowerCase(Locale.ROOT));
                    if (wanted) {
                        audio.add(s.typeIndex());
                        fates.add(fate(s, "converted", preset.audioCodec()));
                    } else {
                        fates.add(fate(s, "dropped", "not asked for (audio=" + choice + ")"));
                    }
                }
                case "subtitle" -> {
                    if (TEXT_SUBTITLES.contains(s.codec())) {
                        subtitles.add(s.typeIndex());
                        fates.add(fate(s, s.codec().equals(subtitleFormat) ? "kept" : "converted", subtitleFormat));
                    } else if (BITMAP_SUBTITLES.contains(s.codec())) {
                        fates.add(fate(s, "dropped", "bitmap subtitles cannot become " + subtitleFormat + " text"));
                    } else {
                        fates.add(fate(s, "dropped", "subtitles in " + s.codec() + " cannot be carried"));
                    }
                }
                case "data" -> fates.add(fate(s, "dropped", "a data stream (" + s.codec() + ")"));
                case "attachment" -> fates.add(fate(s, "dropped", "an attachment (" + s.codec() + ")"));
                default -> fates.add(fate(s, "dropped", "a stream of type " + s.type()));
            }
        }
        if (!languages.isEmpty() && audio.isEmpty() && !tracks.isEmpty()) {
            throw new BadMediaException("no audio track in " + String.join(", ", languages) + " (the source has "
                    + tracks.stream()
                            .map(t -> t.language() == null ? "und" : t.language())
                            .collect(Collectors.joining(", "))
                    + ")");
        }
        return new StreamPlan(List.copyOf(audio), List.copyOf(subtitles), info.chapters(), hdr, List.copyOf(fates));
    }

    private static Fate fate(MediaInfo.Stream s, String fate, String how) {
        return new Fate(s.index(), s.type(), s.codec(), s.language(), s.title(), fate, how);
    }
}
