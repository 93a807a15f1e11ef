package io.vidbatch.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The output check reads MP4s in the JVM instead of starting ffprobe: it must read what ffprobe
 * reads on every file vidbatch writes, and step aside (empty) on anything it cannot vouch for.
 */
class Mp4HeaderTest {

    final Prober prober = new Prober(Samples.TOOLS);
    final Transcoder transcoder = new Transcoder(Samples.TOOLS);

    /** Audio tracks in three languages, subtitles, chapters; rotation; VFR; edit list; interlaced; HDR10. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "multi-stream.mkv",
                "multi-stream-rotated.mp4",
                "phone-vfr.mp4",
                "rotated-editlist.mp4",
                "interlaced-mpeg2.ts",
                "hdr10-hevc.mp4"
            })
    void readsEveryOutputVidbatchWritesAsFfprobeDoes(String sample) throws Exception {
        Path source = Samples.sample(sample);
        Path out = Samples.scratch().resolve("out.mp4");
        MediaInfo info = prober.probe(source);
        transcoder.transcode(
                new Transcoder.Request(
                        source,
                        out,
                        Part.WHOLE,
                        Preset.H264_480P,
                        List.of(),
                        io.vidbatch.job.PlannerAccess.expected(source, info, List.of()),
                        StreamPlan.of(info, StreamPlan.ALL, Preset.H264_480P, prober.hdr(source, info.video()))
                                .map(),
                        out.resolveSibling("ffmpeg.log"),
                        null),
                Progress.Listener.IGNORE,
                () -> false);

        Optional<MediaInfo> read = Mp4Header.read(out);

        assertThat(read).as("read without ffprobe").isPresent();
        assertSame(read.get(), prober.probe(out));
    }

    @Test
    void readsWhatFfprobeReadsOnEverySampleItCanRead() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("samples", "real-world")) {
            Path folder = Samples.sample("city-1080p.mp4").getParent().resolveSibling(dir);
            try (Stream<Path> s = Files.list(folder)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        List<String> read = new ArrayList<>();
        for (Path f : files) {
            Optional<MediaInfo> mine = Mp4Header.read(f);
            if (mine.isPresent()) {
                assertSame(mine.get(), prober.probeAny(f));
                read.add(f.getFileName().toString());
            }
        }
        // ffmpeg's own MP4s, HDR10 among them; never Matroska or MPEG-TS.
        assertThat(read).contains("city-1080p.mp4", "hdr10-hevc.mp4", "phone-vfr-12s.mp4", "cockatoo-720p.mp4");
        assertThat(read).noneMatch(n -> n.endsWith(".mkv") || n.endsWith(".ts") || n.endsWith(".mpeg"));
    }

    @Test
    void aFileCutShortIsLeftToFfprobe() throws Exception {
        Path whole = Samples.sample("phone-vfr.mp4");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Samples.scratch().resolve("cut.mp4");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 1000));

        assertThat(Mp4Header.read(whole)).isPresent();
        assertThat(Mp4Header.read(cut)).isEmpty();
    }

    /**
     * What ffprobe would read differently is left to it: a movie matrix that turns every track, a
     * chunk that names a sample description there is not (ffmpeg skips its samples), a sample
     * hours long (ffmpeg's timestamps then drop packets).
     */
    @Test
    void tablesFfmpegWouldReadOtherwiseAreLeftToFfprobe() throws Exception {
        byte[] bytes = Files.readAllBytes(Samples.sample("city-1080p.mp4"));
        assertThat(Mp4Header.read(Samples.sample("city-1080p.mp4"))).isPresent();
        int mvhd = indexOf(bytes, "mvhd");
        int stsc = indexOf(bytes, "stsc");
        int stts = indexOf(bytes, "stts");
        // Offsets from the type: version and flags, then the fields (ISO/IEC 14496-12).
        record Patch(String what, int at, int value) {}
        for (Patch patch : List.of(
                new Patch("movie matrix", mvhd + 4 + 36, 0), // a = 0: no longer the identity
                new Patch("sample description 2", stsc + 4 + 8 + 8, 2),
                new Patch("a sample of 2^31 ticks", stts + 4 + 8 + 4, Integer.MAX_VALUE))) {
            byte[] damaged = bytes.clone();
            java.nio.ByteBuffer.wrap(damaged).putInt(patch.at(), patch.value());
            Path f = Samples.scratch().resolve("patched.mp4");
            Files.write(f, damaged);
            assertThat(Mp4Header.read(f)).as(patch.what()).isEmpty();
        }
    }

    @Test
    void damagedBoxesNeverThrowNorHang() throws Exception {
        byte[] bytes = Files.readAllBytes(Samples.sample("multi-stream-rotated.mp4"));
        int moov = indexOf(bytes, "moov");
        assertThat(moov).isPositive();
        Path f = Samples.scratch().resolve("damaged.mp4");
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] damaged = bytes.clone();
            for (int k = 0; k < 4; k++) {
                damaged[moov + random.nextInt(8000)] = (byte) random.nextInt(256);
            }
            Files.write(f, damaged);
            Mp4Header.read(f); // any answer but an exception
        }
        Files.write(f, "not a video at all".getBytes());
        assertThat(Mp4Header.read(f)).isEmpty();
        assertThat(Mp4Header.read(f.resolveSibling("missing.mp4"))).isEmpty();
    }

    /** What the output check and the result use, field by field. */
    private static void assertSame(MediaInfo mine, MediaInfo ffprobe) {
        assertThat(mine.streams().stream().map(MediaInfo.Stream::type))
                .containsExactlyElementsOf(
                        ffprobe.streams().stream().map(MediaInfo.Stream::type).toList());
        assertThat(mine.streams().stream().map(MediaInfo.Stream::codec))
                .containsExactlyElementsOf(
                        ffprobe.streams().stream().map(MediaInfo.Stream::codec).toList());
        assertThat(mine.streams().stream().map(MediaInfo.Stream::language))
                .containsExactlyElementsOf(ffprobe.streams().stream()
                        .map(MediaInfo.Stream::language)
                        .toList());
        assertThat(mine.chapters()).isEqualTo(ffprobe.chapters());
        assertThat(mine.durationSeconds()).isCloseTo(ffprobe.durationSeconds(), within(0.001));
        if (ffprobe.video() == null) {
            assertThat(mine.video()).isNull();
            return;
        }
        MediaInfo.Video m = mine.video();
        MediaInfo.Video p = ffprobe.video();
        assertThat(m.frames()).isEqualTo(p.frames());
        assertThat(m.streamDuration()).isCloseTo(p.streamDuration(), within(0.001));
        assertThat(List.of(m.codec(), m.width(), m.height(), m.rotation()))
                .isEqualTo(List.of(p.codec(), p.width(), p.height(), p.rotation()));
        assertThat(new String[] {m.transfer(), m.primaries(), m.matrix()})
                .containsExactly(p.transfer(), p.primaries(), p.matrix());
    }

    private static int indexOf(byte[] bytes, String type) throws IOException {
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (bytes[i] == type.charAt(0)
                    && bytes[i + 1] == type.charAt(1)
                    && bytes[i + 2] == type.charAt(2)
                    && bytes[i + 3] == type.charAt(3)) {
                return i;
            }
        }
        return -1;
    }
}
