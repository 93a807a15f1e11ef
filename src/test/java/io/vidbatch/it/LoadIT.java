package io.vidbatch.it;

import io.vidbatch.media.Samples;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load on the coordinator as a night brings it: many users' jobs at once, and one job of many
 * segments ({@code vidbatch.load.items}: 100 in CI, whose job of many items is ManyInputsIT's
 * 2,000 inputs; 1,000 by default and in bench/load.sh). Every output is
 * checked with ffprobe; the coordinator's heap and threads are sampled from /metrics while it
 * works (every answer must come), and the figures go to docs/reliability.md. The clips are tiny: what is measured is the
 * coordinator, not the encoder; an item is one ffmpeg start-up.
 */
@MicroShedTest
class LoadIT {

    private static final int JOBS = 20;
    private static final List<String> USERS = List.of(Api.SUBMITTER, "submitter2", Api.ADMIN);
    /** Clips of 100 s cut every 2 s: 50 items each. */
    private static final int CLIP_SECONDS = 100;

    private static final int SEGMENT_SECONDS = 2;
    private static final int CLIPS = Integer.getInteger("vidbatch.load.items", 1000) / (CLIP_SECONDS / SEGMENT_SECONDS);
    private static final int RATE = 10;
    /** One more worker than 2 CPUs: they stay busy while a worker is between items (224 s, not 252 s). */
    private static final int WORKERS = 3;
    /**
     * Threads the coordinator may use at its busiest: Liberty's own, the batch executor's (a job
     * thread and one per partition) and the HTTP pool; it peaked at 54 to 86 under both loads
     * (bench/load.sh, CI). A thread kept per job or per item would exceed it.
     */
    private static final int THREAD_CEILING = 150;
    /** Heap still in use after a full GC once the big job is done, over what it was before. */
    private static final long RETAINED_CEILING_MB = 64;

    @BeforeAll
    static void makeClips() throws Exception {
        // One ffmpeg each: a long test pattern cut into clips by the segment muxer, a keyframe every second.
        makeClips("load-jobs", JOBS, 1);
        makeClips(bigJobFolder(), CLIPS, CLIP_SECONDS);
    }

    private static void makeClips(String dir, int count, int seconds) throws Exception {
        Path folder = Jobs.inputs().resolve(dir);
        if (Files.isDirectory(folder)) {
            try (var files = Files.list(folder)) {
                if (files.count() == count) {
                    return;
                }
            }
        }
        Files.createDirectories(folder);
        Samples.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=96x54:rate=" + RATE,
                "-t",
                Integer.toString(count * seconds),
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-g",
                Integer.toString(RATE),
                "-keyint_min",
                Integer.toString(RATE),
                "-sc_threshold",
                "0",
                "-pix_fmt",
                "yuv420p",
                "-f",
                "segment",
                "-segment_time",
                Integer.toString(seconds),
                "-reset_timestamps",
                "1",
                folder.resolve("clip-%02d.mp4").toString());
    }

    @Test
    void twentyJobsSubmittedAtOnceByThreeUsersAllCompleteWithEveryOutputRight() throws Exception {
        String out = Jobs.dir("it-load-jobs");
        Sampler sampler = Sampler.start();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(JOBS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> submitted = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String user = USERS.get(i % USERS.size());
            String body =
                    Jobs.body("inputs", List.of("load-jobs/" + clip(i)), "outputDir", out + "/job-" + i, "workers", 1);
            Callable<Long> submit = () -> {
                go.await();
                Api.Reply r = Api.as(user).post(Api.appUrl() + "/api/v1/jobs", body);
                assertThat(r.status()).as(user + ": " + r.body()).isEqualTo(201);
                return r.json().getJsonNumber("id").longValue();
            };
            submitted.add(pool.submit(submit));
        }
        go.countDown();
        List<Long> ids = new ArrayList<>();
        for (Future<Long> f : submitted) {
            ids.add(f.get());
        }
        pool.shutdown();

        for (int i = 0; i < JOBS; i++) {
            JsonObject job = Jobs.waitForEnd(ids.get(i), Duration.ofMinutes(5));
            assertThat(job.getString("status"))
                    .as("job %d: %s", ids.get(i), job)
                    .isEqualTo("COMPLETED");
            assertThat(job.getString("exitStatus")).isEqualTo("ALL DONE: 1 of 1 inputs done, 0 failed, 0 rejected");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Sampler.Peaks peaks = sampler.stop();

        for (int i = 0; i < JOBS; i++) {
            String user = USERS.get(i % USERS.size());
            JsonObject instance = Api.as(Api.ADMIN)
                    .get(Api.batchUrl() + "/jobinstances/" + ids.get(i))
                    .json();
            assertThat(instance.getString("submitter")).as("job %d", ids.get(i)).isEqualTo(user);
            Probe p = Probe.of(
                    Jobs.outputs().resolve(out + "/job-" + i).resolve(clip(i).replace(".mp4", "-h264-720p.mp4")));
            assertThat(p.frames()).as("job %d's output", ids.get(i)).isEqualTo(RATE);
            assertThat(p.width()).isEqualTo(96);
        }
        // Each submitter's list holds its own jobs of the twenty and no one else's.
        for (String user : List.of(Api.SUBMITTER, "submitter2")) {
            Set<Long> listed = new HashSet<>();
            for (JsonValue v :
                    Api.as(user).get(Api.appUrl() + "/api/v1/jobs?limit=1000").array()) {
                listed.add(v.asJsonObject().getJsonNumber("id").longValue());
            }
            for (int i = 0; i < JOBS; i++) {
                boolean own = USERS.get(i % USERS.size()).equals(user);
                assertThat(listed.contains(ids.get(i)))
                        .as("%s lists job %d (own: %s)", user, ids.get(i), own)
                        .isEqualTo(own);
            }
        }
        assertThat(peaks.threads()).as("peak threads").isLessThan(THREAD_CEILING);
        Report.row(
                "load",
                JOBS + " jobs submitted at once by submitter, submitter2 and admin (a 1 s clip each, local launcher)",
                String.format(
                        Locale.ROOT,
                        "%d COMPLETED, %d outputs verified (frames, width); each submitter lists only its own; "
                                + "%.1f s from first submission to last end; peak heap %d MB of %d MB, peak threads %d; slowest /metrics answer %.2f s",
                        JOBS,
                        JOBS,
                        seconds,
                        peaks.heapMb(),
                        peaks.maxHeapMb(),
                        peaks.threads(),
                        peaks.slowestSeconds()));
    }

    @Test
    void aJobOfManyItemsCompletesWithEveryOutputRightAndLeavesTheHeapAsItWas() throws Exception {
        String out = Jobs.dir("it-load-big");
        long before = Sampler.heapAfterGcMb();
        Sampler sampler = Sampler.start();
        long t0 = System.nanoTime();
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of(bigJobFolder()),
                "outputDir",
                out,
                "workers",
                WORKERS,
                "segmentSeconds",
                SEGMENT_SECONDS));
        JsonObject job = Jobs.waitForEndByStatus(id, Duration.ofMinutes(12));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Sampler.Peaks peaks = sampler.stop();
        assertThat(job.getString("status")).as(job.getString("exitStatus")).isEqualTo("COMPLETED");
        assertThat(job.getString("exitStatus"))
                .isEqualTo("ALL DONE: " + CLIPS + " of " + CLIPS + " inputs done, 0 failed, 0 rejected");
        int items = job.getJsonArray("items").size();
        assertThat(items).isEqualTo(CLIPS * CLIP_SECONDS / SEGMENT_SECONDS);
        for (int i = 0; i < CLIPS; i++) {
            Probe p = Probe.of(Jobs.outputs().resolve(out).resolve(clip(i).replace(".mp4", "-h264-720p.mp4")));
            assertThat(p.frames()).as(clip(i)).isEqualTo((long) CLIP_SECONDS * RATE);
        }
        long after = Sampler.heapAfterGcMb();
        assertThat(peaks.threads()).as("peak threads").isLessThan(THREAD_CEILING);
        assertThat(after - before)
                .as("heap retained after the job (%d MB before, %d MB after, after a full GC)", before, after)
                .isLessThan(RETAINED_CEILING_MB);
        Report.row(
                "load",
                "one job of " + items + " items (" + CLIPS + " clips of " + CLIP_SECONDS + " s cut every "
                        + SEGMENT_SECONDS + " s, " + WORKERS + " local workers)",
                String.format(
                        Locale.ROOT,
                        "COMPLETED, %d outputs verified (frames); %.1f s from submission to end (%.1f items/s); peak heap %d MB of %d MB, "
                                + "after a full GC %d MB before and %d MB after; peak threads %d; slowest /metrics answer %.2f s",
                        CLIPS,
                        seconds,
                        items / seconds,
                        peaks.heapMb(),
                        peaks.maxHeapMb(),
                        before,
                        after,
                        peaks.threads(),
                        peaks.slowestSeconds()));
    }

    private static String bigJobFolder() {
        return "load-" + CLIPS + "-clips";
    }

    private static String clip(int i) {
        return String.format(Locale.ROOT, "clip-%02d.mp4", i);
    }
}
