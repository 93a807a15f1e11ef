package io.vidbatch.media;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranscoderTest {

    final Prober prober = new Prober(Samples.TOOLS);
    final Transcoder transcoder = new Transcoder(Samples.TOOLS);

    private Transcoder.Result whole(Path source, Path out, List<Operation> ops, Progress.Listener l) throws Exception {
        return whole(source, out, ops, l, null);
    }

    private Transcoder.Result whole(
            Path source, Path out, List<Operation> ops, Progress.Listener l, Transcoder.Measure measure)
            throws Exception {
        MediaInfo info = prober.probe(source);
        Expected e = io.vidbatch.job.PlannerAccess.expected(source, info, ops);
        return transcoder.transcode(
                new Transcoder.Request(
                        source,
                        out,
                        Part.WHOLE,
                        Preset.H264_480P,
                        ops,
                        e,
                        StreamPlan.of(info, StreamPlan.ALL, Preset.H264_480P).map(),
                        out.resolveSibling("ffmpeg.log"),
                        measure),
                l,
                () -> false);
    }

    @Test
    void aMeasuredEncodeCarriesWhatFfmpegsOwnFiltersMeasure() throws Exception {
        Path src = Samples.sample("phone-vfr.mp4");
        Path dir = Samples.scratch();
        Path out = dir.resolve("measured.mp4");
        Transcoder.Result r = whole(
                src,
                out,
                List.of(),
                Progress.Listener.IGNORE,
                new Transcoder.Measure(new QualityFiles(dir.resolve("q")), 20.0));
        Quality q = Quality.of(List.of(r.quality()));
        Samples.Measured ffmpeg = Samples.measuredByFfmpeg(out, src);
        assertThat(q.psnr()).isCloseTo(ffmpeg.psnr(), org.assertj.core.data.Offset.offset(0.01));
        assertThat(Quality.decibels(q.ssim())).isCloseTo(ffmpeg.ssimDb(), org.assertj.core.data.Offset.offset(0.01));
        assertThat(q.frames()).isEqualTo(Samples.videoFrames(src));
        assertThat(Files.exists(dir.resolve("q.psnr"))).isTrue();
    }

    @Test
    void anEncodeBelowMinQualityIsRefusedWithItsFigureAndNotPutInPlace() throws Exception {
        Path dir = Samples.scratch();
        Path out = dir.resolve("gated.mp4");
        assertThatThrownBy(() -> whole(
                        Samples.sample("phone-vfr.mp4"),
                        out,
                        List.of(),
                        Progress.Listener.IGNORE,
                        new Transcoder.Measure(new QualityFiles(dir.resolve("q")), 60.0)))
                .isInstanceOf(BadMediaException.class)
                .hasMessageMatching("PSNR [0-9.]+ dB is below minQuality 60.00 dB");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".mp4")))
                    .isEmpty();
        }
    }

    @Test
    void variableFrameRateKeepsEveryFrameAndItsTiming() throws Exception {
        Path src = Samples.sample("phone-vfr.mp4");
        Path out = Samples.scratch().resolve("vfr.mp4");
        whole(src, out, List.of(), Progress.Listener.IGNORE);
        assertThat(Samples.videoFrames(out)).isEqualTo(Samples.videoFrames(src));
        // Within one frame; the sample's longest frame lasts 1/30 s.
        assertThat(prober.packets(src).longestFrameInterval())
                .isCloseTo(1 / 30.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(Samples.videoSeconds(out))
                .isCloseTo(Samples.videoSeconds(src), org.assertj.core.data.Offset.offset(1 / 30.0 + 0.001));
        assertThat(prober.probe(out).hasAudio()).isTrue();
    }

    @Test
    void progressIsReportedWhileItRuns() throws Exception {
        List<Progress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        whole(Samples.sample("long-720p-30s.mp4"), Samples.scratch().resolve("p.mp4"), List.of(), seen::add);
        assertThat(seen.stream().filter(p -> p.fraction() > 0 && p.fraction() < 1 && p.fps() > 0))
                .isNotEmpty();
        assertThat(seen.get(seen.size() - 1).fraction()).isEqualTo(1.0);
    }

    @Test
    void rotatedSourceIsTurnedUprightAndFitted() throws Exception {
        Path out = Samples.scratch().resolve("rot.mp4");
        whole(Samples.sample("portrait-rotated.mp4"), out, List.of(), Progress.Listener.IGNORE);
        MediaInfo.Video v = prober.probe(out).video();
        assertThat(v.rotation()).isZero();
        assertThat(v.width()).isLessThan(v.height());
        assertThat(v.height()).isEqualTo(480);
    }

    @Test
    void noAudioStaysWithoutAudioAndOperationsApply() throws Exception {
        Path out = Samples.scratch().resolve("ops.mp4");
        List<Operation> ops =
                Operations.parse("crop(width=640,height=360); fps(rate=15); watermark(text=\"vidbatch: 100% ok\")");
        whole(Samples.sample("screen-480p-noaudio.mp4"), out, ops, Progress.Listener.IGNORE);
        MediaInfo o = prober.probe(out);
        assertThat(o.hasAudio()).isFalse();
        assertThat(o.video().width()).isEqualTo(640);
        assertThat(o.video().frames()).isBetween(89L, 91L); // 6 s at 15 fps
    }

    @Test
    void watermarkWorksWhateverTheWorkFolderIsCalled() throws Exception {
        // The operator picks the output root; the watermark text file lives under it.
        Path dir = Files.createDirectories(Samples.scratch().resolve("we:ird, [dir]'s; x"));
        Path out = dir.resolve("wm.mp4");
        whole(
                Samples.sample("screen-480p-noaudio.mp4"),
                out,
                Operations.parse("watermark(text=\"ok\")"),
                Progress.Listener.IGNORE);
        assertThat(Samples.videoFrames(out)).isEqualTo(150);
    }

    @Test
    void corruptVideoOnlyFileIsBadMedia() throws Exception {
        // No audio to complain: only the video decoder's prefixed errors tell the damage.
        Path dir = Samples.scratch();
        Path bad = dir.resolve("corrupt-video.mp4");
        Files.copy(Samples.sample("screen-480p-noaudio.mp4"), bad);
        try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
            byte[] junk = new byte[100_000];
            new java.util.Random(1).nextBytes(junk);
            f.seek(f.length() / 2);
            f.write(junk);
        }
        assertThatThrownBy(() -> whole(bad, dir.resolve("out.mp4"), List.of(), Progress.Listener.IGNORE))
                .isInstanceOf(BadMediaException.class)
                .hasMessageStartingWith("decoding errors:");
        assertThat(dir.resolve("out.mp4")).doesNotExist();
    }

    @Test
    void corruptMiddleIsBadMediaAndLeavesNoFile() throws Exception {
        Path dir = Samples.scratch();
        Path bad = dir.resolve("corrupt.mp4");
        Files.copy(Samples.sample("talk-720p-23976.mp4"), bad);
        try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
            byte[] junk = new byte[200_000];
            new java.util.Random(42).nextBytes(junk);
            f.seek(f.length() / 3);
            f.write(junk);
        }
        Path out = dir.resolve("out.mp4");
        assertThatThrownBy(() -> whole(bad, out, List.of(), Progress.Listener.IGNORE))
                .isInstanceOf(BadMediaException.class)
                .hasMessageStartingWith("decoding errors:");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("corrupt.mp4", "ffmpeg.log");
        }
    }

    @Test
    void stopEndsFfmpegAndRemovesTheTemporaryFile() throws Exception {
        Path dir = Samples.scratch();
        Path out = dir.resolve("slow.mp4");
        Path src = Samples.sample("slow-1080p-60s.mp4");
        MediaInfo info = prober.probe(src);
        // Stopped once ffmpeg reports progress: mid-encode on any machine. Ending with StoppedException
        // (a whole 60 s 1080p encode would end done instead) is the proof that it stopped.
        java.util.concurrent.atomic.AtomicBoolean underWay = new java.util.concurrent.atomic.AtomicBoolean();
        assertThatThrownBy(() -> transcoder.transcode(
                        new Transcoder.Request(
                                src,
                                out,
                                Part.WHOLE,
                                Preset.H264_1080P,
                                List.of(),
                                io.vidbatch.job.PlannerAccess.expected(src, info, List.of()),
                                StreamPlan.of(info, StreamPlan.ALL, Preset.H264_1080P)
                                        .map(),
                                dir.resolve("log"),
                                null),
                        p -> underWay.compareAndSet(false, p.fraction() > 0),
                        underWay::get))
                .isInstanceOf(StoppedException.class);
        assertThat(Files.exists(out)).isFalse();
        try (var s = Files.list(dir)) {
            assertThat(s.filter(OutputFiles::isTemporary)).isEmpty();
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .isEmpty();
    }

    private Transcoder.Result segment(Path source, Path out, Expected e) throws Exception {
        return transcoder.transcode(
                new Transcoder.Request(
                        source,
                        out,
                        Part.VIDEO_SEGMENT,
                        Preset.H264_480P,
                        List.of(),
                        e,
                        StreamPlan.Map.NONE,
                        out.resolveSibling("ffmpeg.log"),
                        null),
                Progress.Listener.IGNORE,
                () -> false);
    }

    @Test
    void aSegmentIsCheckedByWhatFfmpegWroteAndThatIsWhatTheFileHolds() throws Exception {
        Path src = Samples.sample("screen-480p-noaudio.mp4");
        Expected e = io.vidbatch.job.PlannerAccess.expected(src, prober.probe(src), List.of());
        Path out = Samples.scratch().resolve("seg.mp4");
        Transcoder.Result r = segment(src, out, e);
        assertThat(r.frames()).isEqualTo(150);
        assertThat(r.bytes()).isEqualTo(Files.size(out));
        assertThat(Samples.videoFrames(out)).isEqualTo(150);
    }

    @Test
    void aSegmentShortOfFramesFailsAndLeavesNoFile() throws Exception {
        Path src = Samples.sample("screen-480p-noaudio.mp4");
        Expected right = io.vidbatch.job.PlannerAccess.expected(src, prober.probe(src), List.of());
        Expected wrong = Expected.of(right.frames() + 1, 0, right.seconds(), right.tolerance(), true, false);
        Path out = Samples.scratch().resolve("seg.mp4");
        assertThatThrownBy(() -> segment(src, out, wrong))
                .isInstanceOf(BadMediaException.class)
                .hasMessage("output check failed: 150 video frames encoded, expected 151");
        try (var s = Files.list(out.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("ffmpeg.log");
        }
    }

    @Test
    void aSegmentMissingBytesOnDiskIsATransientFailureNotTheInputs() throws Exception {
        Path f = Files.writeString(Samples.scratch().resolve("short.mp4"), "12345");
        Expected e = Expected.of(10, 0, 1, 0.1, true, false);
        Verifier v = new Verifier(prober);
        assertThatThrownBy(() -> v.checkAccount(f, e, new FfmpegRun.Outcome(1, 10, 6, true)))
                .isInstanceOf(ToolFailureException.class)
                .hasMessage("output check failed: ffmpeg wrote 6 bytes, the file holds 5");
        assertThatThrownBy(() -> v.checkAccount(f, e, new FfmpegRun.Outcome(1, 10, 5, false)))
                .isInstanceOf(BadMediaException.class)
                .hasMessage("output check failed: ffmpeg did not report the end of its output");
    }

    @Test
    void probeRejectsWhatIsNotVideo() throws IOException {
        Path dir = Samples.scratch();
        Files.createFile(dir.resolve("empty.mp4"));
        Files.writeString(dir.resolve("text.mp4"), "this is not a video\n");
        assertThatThrownBy(() -> prober.probe(dir.resolve("empty.mp4"))).hasMessage("empty file (0 bytes)");
        assertThatThrownBy(() -> prober.probe(dir.resolve("text.mp4")))
                .hasMessageStartingWith("not a readable media file:");
        assertThatThrownBy(() -> prober.probe(dir.resolve("missing.mp4")))
                .hasMessage("not found or not a regular file");
    }

    @Test
    void audioOnlyFileHasNoVideoStream() throws Exception {
        Path f = Samples.scratch().resolve("tone.m4a");
        Samples.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", f.toString());
        assertThatThrownBy(() -> prober.probe(f)).hasMessage("no video stream");
    }
}
