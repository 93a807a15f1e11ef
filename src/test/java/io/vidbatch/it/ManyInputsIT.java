package io.vidbatch.it;

import io.vidbatch.media.Samples;
import jakarta.json.JsonObject;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job carries as many inputs as a night brings, however long their names: Liberty keeps each
 * job parameter in 255 characters, so thirteen absolute paths used to make the start roll back.
 * Through our API and through a watch schedule's run, every input is planned, encoded and
 * verified once. The clips are tiny (3 frames): what is tried is the list and the coordinator,
 * not the encoder. The API's job is CI's job of many items: the coordinator's heap and threads
 * are sampled from /metrics while it runs, for docs/reliability.md ({@code vidbatch.load.inputs}
 * sets its size: 2,000 in CI).
 */
@MicroShedTest
class ManyInputsIT {

    private static final int API_INPUTS = Integer.getInteger("vidbatch.load.inputs", 2000);
    /** One more worker than 2 CPUs: they stay busy while a worker is between groups. */
    private static final int WORKERS = 3;
    /** As LoadIT's: a thread kept per job or per item would exceed it. */
    private static final int THREAD_CEILING = 150;
    /** Heap still in use after a full GC once the job is done, over what it was before. */
    private static final long RETAINED_CEILING_MB = 64;

    private static final int WATCHED_FILES = 500;
    /** The length of every input's absolute path. */
    private static final int PATH_CHARS = 150;

    private static final int FRAMES = 3;
    private static final String RUN = Jobs.dir("many").replaceAll("[^a-z0-9-]", "");

    private static Path clip;

    @BeforeAll
    static void makeClip() throws Exception {
        clip = Jobs.inputs().resolve("many-clip.mp4");
        if (!Files.exists(clip)) {
            Path temp = clip.resolveSibling(".many-clip.tmp.mp4");
            Samples.ffmpeg(
                    "-f",
                    "lavfi",
                    "-i",
                    "testsrc2=size=64x48:rate=10",
                    "-frames:v",
                    Integer.toString(FRAMES),
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast",
                    "-pix_fmt",
                    "yuv420p",
                    temp.toString());
            Files.move(temp, clip);
        }
    }

    /**
     * {@code count} inputs in a folder of the input root, each a hard link to the clip (a file of
     * its own to vidbatch, no copy on disk) under a name that makes its absolute path exactly
     * {@link #PATH_CHARS} characters long.
     */
    private static List<Path> inputs(String folder, int count) throws Exception {
        Path dir = Files.createDirectories(Jobs.inputs().resolve(folder));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String head = dir.toAbsolutePath() + "/" + String.format(Locale.ROOT, "take-%05d-", i);
            int pad = PATH_CHARS - head.length() - ".mp4".length();
            assertThat(pad)
                    .as("room for a %d-character path under %s", PATH_CHARS, dir)
                    .isPositive();
            Path f = Path.of(head + "x".repeat(pad) + ".mp4");
            assertThat(f.toString()).hasSize(PATH_CHARS);
            if (!Files.exists(f)) {
                Files.createLink(f, clip);
            }
            files.add(f);
        }
        return files;
    }

    @Test
    void twoThousandAbsolutePathsThroughOurApiStartAndEachGivesItsOutputOnce() throws Exception {
        List<Path> files = inputs("many-api-" + RUN, API_INPUTS);
        String out = Jobs.dir("it-many-api");
        long before = Sampler.heapAfterGcMb();
        Sampler sampler = Sampler.start();
        long t0 = System.nanoTime();
        Api.Reply r = Api.as(Api.SUBMITTER)
                .post(
                        Api.appUrl() + "/api/v1/jobs",
                        Jobs.body(
                                "inputs",
                                files.stream().map(Path::toString).toList(),
                                "outputDir",
                                out,
                                "workers",
                                WORKERS,
                                "groupSize",
                                20));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        long id = r.json().getJsonNumber("id").longValue();

        JsonObject job = Jobs.waitForEndByStatus(id, Duration.ofMinutes(15));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Sampler.Peaks peaks = sampler.stop();
        assertEveryInputDoneOnce(job, files, Jobs.outputs().resolve(out));
        long after = Sampler.heapAfterGcMb();
        assertThat(peaks.threads()).as("peak threads").isLessThan(THREAD_CEILING);
        assertThat(after - before)
                .as("heap retained after the job (%d MB before, %d MB after, after a full GC)", before, after)
                .isLessThan(RETAINED_CEILING_MB);
        Report.row(
                "load",
                "one job of " + API_INPUTS + " inputs named by " + PATH_CHARS + "-character absolute paths "
                        + "through our API (" + WORKERS + " local workers, groups of 20)",
                String.format(
                        Locale.ROOT,
                        "COMPLETED, %d outputs verified (frames); %.1f s from submission to end (%.1f inputs/s); "
                                + "peak heap %d MB of %d MB, after a full GC %d MB before and %d MB after; peak threads %d; "
                                + "slowest /metrics answer %.2f s",
                        API_INPUTS,
                        seconds,
                        API_INPUTS / seconds,
                        peaks.heapMb(),
                        peaks.maxHeapMb(),
                        before,
                        after,
                        peaks.threads(),
                        peaks.slowestSeconds()));
        // Liberty's own view of the job: what it keeps of the parameters is the list's reference.
        JsonObject execution = Api.as(Api.ADMIN)
                .get(Api.batchUrl() + "/jobinstances/" + id + "/jobexecutions")
                .array()
                .getJsonObject(0);
        JsonObject params = execution.getJsonObject("jobParameters");
        assertThat(params.containsKey("inputs")).isFalse();
        assertThat(params.getString("inputList")).hasSize(36);
    }

    @Test
    void aWatchScheduleTakesFiveHundredNewFilesInOneRun() throws Exception {
        String folder = "many-inbox-" + RUN;
        List<Path> files = inputs(folder, WATCHED_FILES);
        String name = "many-" + RUN;
        String body = "{\"cron\": \"0 2 * * *\", \"zone\": \"UTC\", \"enabled\": false, \"watch\": true, \"job\": "
                + Jobs.body(
                        "inputs",
                        List.of(folder),
                        "outputDir",
                        Jobs.dir("it-many-watch"),
                        "workers",
                        WORKERS,
                        "groupSize",
                        20)
                + "}";
        assertThat(Api.as(Api.ADMIN).put(Schedules.URL + name, body).status()).isEqualTo(201);
        try {
            Api.Reply run = Api.as(Api.SUBMITTER).post(Schedules.URL + name + "/runs", "");
            assertThat(run.status()).as(run.body()).isEqualTo(201);
            assertThat(run.json().getString("outcome")).isEqualTo("STARTED");
            assertThat(run.json().getString("message")).endsWith(WATCHED_FILES + " new file(s)");
            long id = run.json().getJsonNumber("jobInstance").longValue();
            long t0 = System.nanoTime();
            JsonObject job = Jobs.waitForEndByStatus(id, Duration.ofMinutes(10));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEveryInputDoneOnce(job, files, Jobs.outputs().resolve(Jobs.dir("it-many-watch")));
            Report.row(
                    "load",
                    "a watch schedule's run over " + WATCHED_FILES + " new files (" + PATH_CHARS
                            + "-character paths), fired over REST",
                    String.format(
                            Locale.ROOT,
                            "one job of %d inputs COMPLETED, every output verified; %.1f s from the run to the job's end; "
                                    + "the next run found nothing new",
                            WATCHED_FILES,
                            seconds));

            // Every file was given to that run: the next one finds nothing new.
            Api.Reply again = Api.as(Api.SUBMITTER).post(Schedules.URL + name + "/runs", "");
            assertThat(again.json().getString("outcome")).as(again.body()).isEqualTo("SKIPPED");
        } finally {
            assertThat(Api.as(Api.ADMIN).delete(Schedules.URL + name).status()).isEqualTo(204);
        }
    }

    /**
     * The job COMPLETED with every input done, each input's output a file of its own in the output
     * folder (and nothing else there but the report), each verified by the worker and a sample of
     * them probed again here.
     */
    private static void assertEveryInputDoneOnce(JsonObject job, List<Path> files, Path outDir) throws Exception {
        int n = files.size();
        assertThat(job.getString("status")).as(job.getString("exitStatus")).isEqualTo("COMPLETED");
        assertThat(job.getString("exitStatus"))
                .isEqualTo("ALL DONE: " + n + " of " + n + " inputs done, 0 failed, 0 rejected");
        assertThat(job.getString("outcome")).isEqualTo("ALL_DONE");
        List<JsonObject> inputs = job.getJsonArray("inputs").getValuesAs(JsonObject.class);
        assertThat(inputs).hasSize(n);
        assertThat(inputs.stream().map(i -> i.getString("source")))
                .containsExactlyInAnyOrderElementsOf(
                        files.stream().map(Path::toString).toList());
        Set<String> outputs = new HashSet<>();
        for (JsonObject i : inputs) {
            assertThat(i.getString("state")).as(i.toString()).isEqualTo("DONE");
            JsonObject o = i.getJsonObject("output");
            assertThat(o.getJsonNumber("frames").longValue())
                    .as(i.getString("source"))
                    .isEqualTo(FRAMES);
            assertThat(outputs.add(o.getString("path")))
                    .as("output named once: " + o.getString("path"))
                    .isTrue();
        }
        assertThat(job.getJsonArray("items")).as("one item per input").hasSize(n);
        try (Stream<Path> s = Files.list(outDir)) {
            List<String> written = s.map(p -> p.getFileName().toString()).toList();
            assertThat(written)
                    .as("outputs and the report, nothing half-written")
                    .hasSize(n + 1)
                    .allMatch(f -> f.endsWith("-h264-720p.mp4") || f.startsWith("vidbatch-report-"));
        }
        for (int k = 0; k < n; k += n / 10) {
            Path output = Path.of(inputs.get(k).getJsonObject("output").getString("path"));
            assertThat(Probe.of(output).frames()).as(output.toString()).isEqualTo(FRAMES);
        }
    }
}
