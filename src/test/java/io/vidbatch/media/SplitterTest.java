package io.vidbatch.media;

import io.vidbatch.job.PlannerAccess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class SplitterTest {

    final Prober prober = new Prober(Samples.TOOLS);
    final Splitter splitter = new Splitter(Samples.TOOLS);

    @Test
    void cutsAtTheFirstKeyframeOneSegmentOnAndKeepsTheTailLongEnough() {
        List<Double> keys = List.of(0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0);
        assertThat(Splitter.cutPoints(keys, 0, 21, 6)).containsExactly(6.0, 12.0, 18.0);
        assertThat(Splitter.cutPoints(keys, 0, 19.5, 6)).containsExactly(6.0, 12.0);
        assertThat(Splitter.cutPoints(keys, 0, 20, 5)).containsExactly(6.0, 12.0);
        assertThat(Splitter.cutPoints(List.of(0.0), 0, 30, 6)).isEmpty();
    }

    @Test
    void aKeyframeTheBitstreamDoesNotMarkAsARandomAccessPointIsNoCut() {
        List<PacketTimes.Packet> packets = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            packets.add(new PacketTimes.Packet(i / 10.0, i % 20 == 0));
        }
        PacketTimes flagged = new PacketTimes(packets);
        assertThat(flagged.cleanCutTimes()).containsExactly(0.0, 2.0, 4.0, 6.0, 8.0, 10.0);
        // Only the first and the fourth keyframe are IDR pictures (times as a packet listing rounds them).
        assertThat(flagged.withRandomAccess(List.of(0.0, 6.00004)).cleanCutTimes())
                .containsExactly(0.0, 6.0);
        assertThat(flagged.withRandomAccess(List.of()).cleanCutTimes()).isEmpty();
    }

    @Test
    void anOpenGopH264SourceHasNoCutButAClosedGopHevcOneHasOneAtEachIdr() throws Exception {
        Path open = Samples.sample("open-gop-h264.mp4");
        MediaInfo openInfo = prober.probe(open);
        // x264 marks its recovery points as keyframes; none but the first picture is an IDR.
        assertThat(prober.packets(open).cleanCutTimes())
                .as("by the keyframe flag and leading pictures alone")
                .isNotEmpty()
                .isNotEqualTo(List.of(0.0));
        assertThat(prober.packetsForCutting(open, openInfo.video().codec()).cleanCutTimes())
                .containsExactly(openInfo.startSeconds());
        Path hevc = Samples.sample("hevc-bpyramid.mp4");
        List<Double> cuts = prober.packetsForCutting(
                        hevc, prober.probe(hevc).video().codec())
                .cleanCutTimes();
        assertThat(cuts).hasSize(5);
        assertThat(cuts.get(1) - cuts.get(0)).isCloseTo(2.0, offset(0.001));
    }

    @Test
    void frameCrcListingsGiveTimesInSeconds() throws Exception {
        String listing = "#format: frame checksums\n#version: 2\n#hash: CRC32\n#tb 0: 1/10240\n#media_type 0: video\n"
                + "#stream#, dts,        pts, duration,     size, checksum\n0,      -1024,          0,      512,     7395, 0x540a55be\n"
                + "0,      37888,      38912,      512,     5375, 0xd69673ac\n";
        List<Double> times = FrameCrc.ptsSeconds(listing);
        assertThat(times).hasSize(2);
        assertThat(times.get(0)).isZero();
        assertThat(times.get(1)).isCloseTo(3.8, offset(1e-9));
    }

    @Test
    void variableFrameRatePiecesJoinWithTheSourceTiming() throws Exception {
        Path src = Samples.sample("phone-vfr.mp4");
        Path dir = Samples.scratch();
        MediaInfo info = prober.probe(src);
        Splitter.Result split = splitter.split(src, info, prober.packets(src), 2, dir.resolve("split"));
        assertThat(split.split()).as(split.wholeBecause()).isTrue();
        assertThat(split.segments().stream().mapToLong(Splitter.Segment::frames).sum())
                .isEqualTo(info.video().frames());
        // Counted from the source's packets, not probed: each count must be what the piece really holds.
        for (Splitter.Segment s : split.segments()) {
            assertThat(s.frames()).as("frames of piece " + s.index()).isEqualTo(Samples.videoFrames(s.file()));
        }

        Expected whole = PlannerAccess.expected(src, info, List.of());
        Transcoder t = new Transcoder(Samples.TOOLS);
        List<Joiner.Piece> pieces = new ArrayList<>();
        for (Splitter.Segment s : split.segments()) {
            Path enc = dir.resolve("enc-" + s.index() + ".mp4");
            t.transcode(
                    new Transcoder.Request(
                            s.file(),
                            enc,
                            Part.VIDEO_SEGMENT,
                            Preset.H264_480P,
                            List.of(),
                            Expected.of(s.frames(), 0, s.seconds(), whole.tolerance(), true, false),
                            StreamPlan.Map.NONE,
                            dir.resolve("log-" + s.index()),
                            null),
                    Progress.Listener.IGNORE,
                    () -> false);
            pieces.add(new Joiner.Piece(enc, s.seconds()));
        }
        Path audio = dir.resolve("audio.mp4");
        t.transcode(
                new Transcoder.Request(
                        src,
                        audio,
                        Part.AUDIO,
                        Preset.H264_480P,
                        List.of(),
                        Expected.of(0, 0, whole.seconds(), whole.tolerance(), false, true),
                        new StreamPlan.Map(List.of(0), List.of(), null),
                        dir.resolve("log-a"),
                        null),
                Progress.Listener.IGNORE,
                () -> false);
        Path out = dir.resolve("joined.mp4");
        MediaInfo joined = new Joiner(Samples.TOOLS)
                .join(pieces, audio, src, StreamPlan.Map.NONE, Preset.H264_480P, out, whole, dir.resolve("log-j"));

        assertThat(Samples.videoFrames(out)).isEqualTo(Samples.videoFrames(src));
        assertThat(Samples.videoSeconds(out)).isCloseTo(Samples.videoSeconds(src), offset(whole.tolerance()));
        assertThat(joined.hasAudio()).isTrue();
        // Timing survives the join: each frame shows at its source time, so the picture matches frame for frame.
        assertThat(Samples.psnr(out, src)).isGreaterThan(35);
        try (var files = Files.list(dir)) {
            assertThat(files.filter(OutputFiles::isTemporary)).isEmpty();
        }
    }

    @Test
    void openGopSourceIsEncodedWhole() throws Exception {
        Path dir = Samples.scratch();
        Path src = dir.resolve("open-gop.mp4");
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=640x360:rate=30",
                "-t",
                "12",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-g",
                "48",
                "-bf",
                "3",
                "-x264-params",
                "open-gop=1",
                "-pix_fmt",
                "yuv420p",
                src.toString());
        Splitter.Result r = splitter.split(src, prober.probe(src), prober.packets(src), 3, dir.resolve("split"));
        assertThat(r.split()).isFalse();
        assertThat(r.wholeBecause()).contains("no clean keyframe");
    }

    @Test
    void shortSourceIsNotSplit() throws Exception {
        Path src = Samples.sample("screen-480p-noaudio.mp4");
        Splitter.Result r = splitter.split(src, prober.probe(src), prober.packets(src), 6, Samples.scratch());
        assertThat(r.wholeBecause()).isEqualTo("shorter than 1.5 segments");
    }
}
