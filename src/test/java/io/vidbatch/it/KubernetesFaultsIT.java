package io.vidbatch.it;

import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vidbatch.launch.kubernetes.OtherJobs;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user sees when the cluster misbehaves under a kubernetes job: evictions and OOM kills
 * are retried by Kubernetes and the job completes; a pod that cannot start fails the job within
 * the pending timeout, naming the cause, and so does a Job whose pods admission refuses (a quota,
 * a missing ServiceAccount); a stranger's Job under our name is left alone; API errors and
 * dropped watches cost nothing. Lost nodes, hanging volumes and start errors: KubernetesNodesIT.
 * Each test also checks that no Job or pod is left, no Job was created twice and no output was
 * written twice or left half-written.
 */
@MicroShedTest
class KubernetesFaultsIT extends WithSimulatedCluster {

    /** An 8 s 720p input: encodes in a few seconds, long enough to be hit mid-encode. */
    private static final String INPUT = "samples/talk-720p-23976.mp4";

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    /** K8S_SERVICE_ACCOUNT's default: it-server.env does not set it. */
    private static final String WORKER_ACCOUNT = "vidbatch-worker";

    @AfterEach
    void heal() {
        cluster.api().clearFaults();
        cluster.clearImagePullFailures();
        cluster.removeQuota(KubernetesSim.NAMESPACE);
        cluster.restoreServiceAccount(KubernetesSim.NAMESPACE, WORKER_ACCOUNT);
        cluster.runtimeExitMessage(null);
        for (String n : List.of("node-a", "node-b", "node-c")) {
            cluster.uncordon(n);
        }
    }

    @Test
    void anEvictedPodIsReplacedByKubernetesAndTheJobCompletes() {
        String dir = Jobs.dir("it-k8s-evict");
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));
        V1Pod pod = KubernetesSim.awaitEncoding(cluster, id, out(dir));
        cluster.evict(pod.getMetadata().getName());

        JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
        assertCompleted(job, 1);
        assertThat(KubernetesSim.workers(job))
                .singleElement()
                .asString()
                .startsWith("k8s:")
                .doesNotEndWith("/" + pod.getMetadata().getName());
        // Kubernetes made the replacement (podFailurePolicy Ignore on DisruptionTarget); the item ran once for the
        // batch job.
        assertThat(KubernetesSim.podsCreated(cluster, id)).isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 2));
        assertThat(KubernetesSim.jobLog(id)).doesNotContain("will be retried");
        assertClean(job, dir);
    }

    @Test
    void anOomKilledPodIsRetriedAndTheJobCompletes() {
        String dir = Jobs.dir("it-k8s-oom");
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));
        V1Pod pod = KubernetesSim.awaitEncoding(cluster, id, out(dir));
        cluster.oomKill(pod.getMetadata().getName());

        JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
        assertCompleted(job, 1);
        // backoffLimit 2: the OOM kill counts as one failure, Kubernetes starts a second pod.
        assertThat(KubernetesSim.podsCreated(cluster, id)).isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 2));
        assertClean(job, dir);
    }

    @Test
    void anItemOomKilledMoreOftenThanTheBackoffLimitFailsSayingSo() {
        String dir = Jobs.dir("it-k8s-oom3");
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));
        String job1 = KubernetesSim.jobName(id, 1);
        // backoffLimit 2: the third failure fails the Job (BackoffLimitExceeded).
        java.util.Set<String> killed = new java.util.HashSet<>();
        for (int kill = 1; kill <= 3; kill++) {
            int n = kill;
            // A pod just killed may still read Running for a moment: never pick it twice.
            V1Pod pod = cluster.awaitPod(
                    p -> job1.equals(KubernetesSim.jobNameOf(p))
                            && "Running".equals(p.getStatus().getPhase())
                            && !killed.contains(p.getMetadata().getName())
                            && KubernetesSim.podsCreated(cluster, id).getOrDefault(job1, 0) == n,
                    Duration.ofSeconds(30));
            killed.add(pod.getMetadata().getName());
            cluster.oomKill(pod.getMetadata().getName());
        }

        JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
        // Nothing done: the job FAILED, and says why.
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("exitStatus")).isEqualTo("NONE DONE: 0 of 1 inputs done, 1 failed, 0 rejected");
        assertThat(job.getString("outcome")).isEqualTo("NONE_DONE");
        JsonObject item = job.getJsonArray("items").getJsonObject(0);
        assertThat(item.getString("state")).isEqualTo("FAILED");
        assertThat(item.getString("reason"))
                .contains("BackoffLimitExceeded")
                .contains("ran out of memory 3 times (OOMKilled");
        assertThat(KubernetesSim.podsCreated(cluster, id)).isEqualTo(Map.of(job1, 3));
        assertThat(KubernetesSim.jobLog(id))
                .as("Kubernetes retried it; the batch job does not again")
                .doesNotContain("will be retried");
        KubernetesSim.assertNothingLeft(cluster, id);
        KubernetesSim.assertEachJobCreatedOnce(cluster, job);
        assertThat(KubernetesSim.files(out(dir)))
                .as("no output, no temporary file")
                .allMatch(f -> f.startsWith("vidbatch-report-"));
    }

    @Test
    void aPodThatCannotPullItsImageFailsTheJobWithinThePendingTimeout() {
        cluster.failImagePull(".*");
        assertPendingFails("the worker image cannot be pulled", "it-k8s-pull", "ErrImagePull|ImagePullBackOff");
    }

    @Test
    void aPodThatNoNodeTakesFailsTheJobWithinThePendingTimeout() {
        List.of("node-a", "node-b", "node-c").forEach(cluster::cordon);
        assertPendingFails("every node cordoned", "it-k8s-unschedulable", "Unschedulable");
    }

    @Test
    void aJobWhosePodsAQuotaRefusesFailsWithinThePendingTimeoutNamingTheQuota() {
        // The workers ask for 500m (it-server.env): a 100m quota refuses every pod.
        cluster.quota(KubernetesSim.NAMESPACE, "it-compute", 100);
        String dir = Jobs.dir("it-k8s-quota");
        long id = assertNoWorker(
                "a ResourceQuota of 100m cpu (workers ask 500m)",
                dir,
                id1 -> Pattern.quote(podless(id1))
                        + Pattern.quote("exceeded quota: it-compute, requested: requests.cpu=500m, ")
                        + "used: requests.cpu=\\d+m?" + Pattern.quote(", limited: requests.cpu=100m"));
        assertThat(KubernetesSim.podsCreated(cluster, id)).as("pods created").isEmpty();
    }

    @Test
    void aJobWhoseServiceAccountIsMissingFailsWithinThePendingTimeoutNamingTheAccount() {
        cluster.removeServiceAccount(KubernetesSim.NAMESPACE, WORKER_ACCOUNT);
        String dir = Jobs.dir("it-k8s-account");
        long id = assertNoWorker(
                "the workers' ServiceAccount deleted",
                dir,
                id1 -> Pattern.quote(podless(id1) + "error looking up service account " + KubernetesSim.NAMESPACE + "/"
                        + WORKER_ACCOUNT + ": serviceaccount \"" + WORKER_ACCOUNT + "\" not found"));
        assertThat(KubernetesSim.podsCreated(cluster, id)).as("pods created").isEmpty();
    }

    /** The start of the reason for a Job that never got a pod, within K8S_PENDING_TIMEOUT_SECONDS=6. */
    private static String podless(long id) {
        return "no worker: no pod could be created for Job " + KubernetesSim.jobName(id, 1) + " in 6 s: ";
    }

    private void assertPendingFails(String fault, String name, String cause) {
        assertNoWorker(
                fault,
                Jobs.dir(name),
                id -> "no worker: pod " + KubernetesSim.jobName(id, 1) + "-[a-z0-9]{5} has not started for 6 s: ("
                        + cause + ").*");
    }

    /** Submits one input; the job ends FAILED within the pending timeout with this exit status, leaving nothing. */
    private long assertNoWorker(String cause, String dir, LongFunction<String> exitStatus) {
        long submitted = System.nanoTime();
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));
        JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
        double seconds = (System.nanoTime() - submitted) / 1e9;
        System.out.printf(
                "%s: job ended %s %.1f s after submission: %s%n",
                dir, job.getString("status"), seconds, job.getString("exitStatus"));
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("exitStatus")).matches(exitStatus.apply(id));
        // How soon is measured, not asserted: K8S_PENDING_TIMEOUT_SECONDS=6, plus planning and the informers' notice.
        Report.row(
                "kubernetes",
                cause,
                String.format(
                        Locale.ROOT,
                        "FAILED %.1f s after submission (pending timeout 6 s): %s",
                        seconds,
                        job.getString("exitStatus")));
        assertThat(KubernetesSim.jobLog(id)).doesNotContain("will be retried");
        KubernetesSim.assertNothingLeft(cluster, id);
        assertThat(KubernetesSim.jobsCreated(cluster, id)).isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 1));
        assertThat(KubernetesSim.files(out(dir)))
                .as("no output")
                .noneMatch(f -> f.endsWith(".mp4") || f.endsWith(".part"));
        return id;
    }

    /**
     * Another coordinator with the same prefix (or this one before its database was recreated)
     * made a Job under the name this job's item gets: it is not adopted, not deleted, not
     * replaced, and the job says whose it is and what to change.
     */
    @Test
    void aStrangersJobUnderOurNameIsLeftAloneAndTheJobSaysWhy() throws Exception {
        // Liberty numbers job instances one by one: the job after this one is the next number.
        long before = Jobs.submit(Jobs.body(
                "inputs", List.of("samples/screen-480p-noaudio.mp4"), "outputDir", Jobs.dir("it-k8s-before")));
        Jobs.waitForEnd(before, JOB_TIMEOUT);
        String name = KubernetesSim.jobName(before + 1, 1);
        Map<String, String> labels = Map.of(
                "app.kubernetes.io/managed-by",
                "vidbatch",
                "vidbatch.io/coordinator",
                KubernetesSim.PREFIX,
                "vidbatch.io/owner",
                "another-coordinator");
        new BatchV1Api(cluster.apiClient())
                .createNamespacedJob(KubernetesSim.NAMESPACE, OtherJobs.job(name, labels))
                .execute();
        try {
            String dir = Jobs.dir("it-k8s-stranger");
            long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));
            assertThat(id).as("no other job was submitted in between").isEqualTo(before + 1);

            JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
            assertThat(job.getString("status")).isEqualTo("FAILED");
            assertThat(job.getString("exitStatus"))
                    .startsWith("no worker: Job " + name + " in namespace " + KubernetesSim.NAMESPACE
                            + " belongs to another coordinator (vidbatch.io/owner=another-coordinator; this one is ")
                    .contains("coordinators sharing a namespace need their own k8s.job.prefix (now \"vbit\")");
            assertThat(cluster.job(name))
                    .as("the stranger's Job, still there")
                    .hasValueSatisfying(j -> assertThat(j.getMetadata().getLabels())
                            .containsEntry("vidbatch.io/owner", "another-coordinator"));
            assertThat(cluster.jobsCreated().get(name))
                    .as("Jobs of that name created")
                    .isEqualTo(1);
            assertThat(cluster.api().requests())
                    .as("requests that changed the stranger's Job")
                    .noneMatch(r -> r.method().equals("DELETE") && r.path().endsWith("/jobs/" + name));
            assertThat(KubernetesSim.files(out(dir))).as("no output").noneMatch(f -> f.endsWith(".mp4"));
            Report.row(
                    "kubernetes",
                    "a Job under this item's name made by another coordinator (same prefix, another database)",
                    job.getString("status") + ": "
                            + job.getString("exitStatus").replaceAll("this one is [0-9a-f-]{36}", "this one is …")
                            + "; the stranger's Job left as it was");
        } finally {
            new BatchV1Api(cluster.apiClient())
                    .deleteNamespacedJob(name, KubernetesSim.NAMESPACE)
                    .propagationPolicy("Background")
                    .execute();
        }
    }

    @Test
    void apiErrorsOnCreateGetAndListAreRiddenOut() {
        String jobs = "/apis/batch/v1/namespaces/" + KubernetesSim.NAMESPACE + "/jobs";
        // Create: throttled twice, a server error, then a create that is carried out but answered 500: the retry gets
        // 409 and adopts.
        cluster.api().failNext("POST", jobs, 429, 2);
        cluster.api().failNext("POST", jobs, 500, 1);
        cluster.api().failNextAfterCommit("POST", jobs, 500, 1);
        // Get of a Job by name.
        cluster.api().failNext("GET", jobs + "/vbit-.*", 500, 1);
        cluster.api().failNext("GET", jobs + "/vbit-.*", 429, 1);
        String dir = Jobs.dir("it-k8s-api");
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));
        KubernetesSim.awaitEncoding(cluster, id, out(dir));
        // List: the watches lose their history, and the relists that follow are refused a few times.
        cluster.api().failNext("GET", jobs, 500, 2);
        cluster.api().failNext("GET", "/api/v1/namespaces/" + KubernetesSim.NAMESPACE + "/pods", 429, 2);
        cluster.api().dropWatches(true);

        JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
        assertCompleted(job, 1);
        assertThat(cluster.api().requests())
                .as("requests answered with an injected error")
                .filteredOn(r -> r.status() == 429 || r.status() == 500 || r.status() == 409)
                .hasSizeGreaterThanOrEqualTo(7);
        assertThat(KubernetesSim.jobLog(id))
                .contains("adopting Job " + KubernetesSim.jobName(id, 1) + " (it already exists)");
        assertThat(KubernetesSim.podsCreated(cluster, id)).isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 1));
        assertClean(job, dir);
    }

    @Test
    void droppedWatchesWithAndWithoutHistoryStillSeeTheCompletion() {
        String dir = Jobs.dir("it-k8s-watch");
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT, "samples/screen-480p-noaudio.mp4"), dir, 2));
        KubernetesSim.awaitEncoding(cluster, id, out(dir));
        int before = cluster.api().requests().size();
        cluster.api().dropWatches(false);
        // The informers watch again (from where they were) before the drop that also loses the history.
        Waits.await(
                        "the informers watching jobs and pods again after the first drop",
                        Duration.ofSeconds(10),
                        Duration.ofMillis(20))
                .until(
                        () -> cluster.api().requests().stream()
                                .skip(before)
                                .map(r -> r.rbac())
                                .toList(),
                        seen -> seen.containsAll(List.of("watch jobs", "watch pods")));
        cluster.api().dropWatches(true);

        JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
        assertCompleted(job, 2);
        List<String> after = cluster.api().requests().stream()
                .skip(before)
                .map(r -> r.rbac())
                .toList();
        assertThat(after)
                .as("the informers listed and watched again after the drops")
                .contains("list jobs", "watch jobs", "list pods", "watch pods");
        assertThat(KubernetesSim.podsCreated(cluster, id))
                .hasSize(2)
                .allSatisfy((j, n) -> assertThat(n).isEqualTo(1));
        assertClean(job, dir);
    }

    /**
     * The termination message at its worst: a full group of 20 items under long multi-byte paths,
     * and a runtime message the kubelet puts in front of the worker's. Every item's own outcome
     * reaches the coordinator: none fails as "finished without reporting a result" or as lost.
     */
    @Test
    void aFullGroupsOutcomesBehindARuntimeMessageAllReachTheCoordinator() throws Exception {
        cluster.runtimeExitMessage("runc: {\"level\":\"warning\",\"msg\":\"cgroup: memory.peak not found\"}");
        Path clip = Jobs.sample("screen-480p-noaudio.mp4");
        Path folder = Files.createDirectories(Jobs.inputs().resolve("it-k8s-term-" + System.nanoTime()));
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // Hard links: twenty inputs of their own, no copies on disk.
            Path f = folder.resolve(String.format(Locale.ROOT, "prise-%02d-", i) + "Ünïcødé-日本語-".repeat(6) + ".mp4");
            Files.createLink(f, clip);
            inputs.add(Jobs.inputs().relativize(f).toString()); // relative, like every input here
        }
        String dir = Jobs.dir("it-k8s-term-" + "ñ".repeat(40));
        long id = Jobs.submit(
                Jobs.body("inputs", inputs, "outputDir", dir, "launcher", "kubernetes", "workers", 1, "groupSize", 20));

        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(5));
        assertCompleted(job, 20);
        assertThat(KubernetesSim.workers(job)).hasSize(20).allMatch(w -> w.startsWith("k8s:"));
        assertThat(KubernetesSim.jobsCreated(cluster, id))
                .as("one Job for the whole group, made once")
                .isEqualTo(java.util.Map.of(KubernetesSim.jobName(id, 1), 1));
        assertThat(KubernetesSim.jobLog(id))
                .doesNotContain("without reporting a result", "outcome for this item was lost", "will be retried");
        KubernetesSim.assertNothingLeft(cluster, id);
        KubernetesSim.assertOutputsWhole(job, out(dir));
    }

    private static Path out(String dir) {
        return Jobs.outputs().resolve(dir);
    }

    private static void assertCompleted(JsonObject job, int inputs) {
        assertThat(job.getString("status")).as(job.toString()).isEqualTo("COMPLETED");
        assertThat(job.getString("exitStatus"))
                .isEqualTo("ALL DONE: " + inputs + " of " + inputs + " inputs done, 0 failed, 0 rejected");
        assertThat(job.getJsonArray("items"))
                .allSatisfy(i -> assertThat(i.asJsonObject().getString("state")).isEqualTo("DONE"));
    }

    private static void assertClean(JsonObject job, String dir) {
        long id = job.getJsonNumber("id").longValue();
        KubernetesSim.assertNothingLeft(cluster, id);
        KubernetesSim.assertEachJobCreatedOnce(cluster, job);
        KubernetesSim.assertOutputsWhole(job, out(dir));
    }
}
