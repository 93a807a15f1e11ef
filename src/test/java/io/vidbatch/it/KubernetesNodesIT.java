package io.vidbatch.it;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vidbatch.k8s.sim.ProcessExit;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a cluster does every week, done the way Kubernetes does it: a node lost (NotReady, taint
 * eviction after the pods' toleration, Terminating until the node is dealt with), a volume that
 * never mounts, a container runtime that cannot start containers. Each ends with the outcome and
 * reason docs/kubernetes.md gives, nothing left running and no item worked on by two pods.
 * The workers tolerate an unreachable node for 2 s (it-server.env), grace 5 s, pending timeout 6 s.
 */
@MicroShedTest
class KubernetesNodesIT extends WithSimulatedCluster {

    /** An 8 s 720p input: encodes in a few seconds, long enough to be hit mid-encode. */
    private static final String INPUT = "samples/talk-720p-23976.mp4";

    private static final String OUTPUT = "talk-720p-23976-h264-720p.mp4";
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);

    @AfterEach
    void heal() {
        cluster.clearVolumeHangs();
        cluster.failContainerStarts(0);
    }

    /**
     * The machine dies. Its pod keeps the phase Running while the node is unreachable, is evicted
     * when its toleration runs out, and stays Terminating: Kubernetes cannot know the container
     * is gone. A cloud's node controller then deletes the Node of the vanished machine; the pod
     * garbage collector ends the pod, the Job controller makes a new one elsewhere, and the job
     * completes with the item done once.
     */
    @Test
    void aDeadMachinesPodIsReplacedOnceItsNodeIsDeletedAndTheJobCompletes() {
        String dir = Jobs.dir("it-k8s-dead-node");
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));
        V1Pod pod = KubernetesSim.awaitEncoding(cluster, id, out(dir));
        String node = pod.getSpec().getNodeName();
        String name = pod.getMetadata().getName();
        try {
            cluster.loseNode(node);
            V1Pod evicted = cluster.awaitPod(
                    p -> name.equals(p.getMetadata().getName())
                            && p.getMetadata().getDeletionTimestamp() != null,
                    Duration.ofSeconds(30));
            assertThat(evicted.getStatus().getPhase())
                    .as("an evicted pod on a lost node")
                    .isEqualTo("Running");
            assertThat(KubernetesSim.podsCreated(cluster, id))
                    .as("no replacement while it is Terminating")
                    .isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 1));
            cluster.deleteNode(node);

            JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
            assertThat(job.getString("status")).as(job.toString()).isEqualTo("COMPLETED");
            assertThat(KubernetesSim.workers(job))
                    .singleElement()
                    .asString()
                    .startsWith("k8s:")
                    .doesNotStartWith("k8s:" + node + "/");
            assertThat(KubernetesSim.podsCreated(cluster, id)).isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 2));
            KubernetesSim.assertNothingLeft(cluster, id);
            KubernetesSim.assertEachJobCreatedOnce(cluster, job);
            KubernetesSim.assertOutputsWhole(job, out(dir));
            Report.row(
                    "kubernetes",
                    "the machine under a running pod dies; later its Node is deleted (as a cloud's node controller does)",
                    "the pod evicted after its 2 s toleration and kept Terminating, not replaced; once the Node was deleted, replaced "
                            + "on another node: " + job.getString("status") + ", " + job.getString("exitStatus")
                            + "; 2 pods, 1 output");
        } finally {
            cluster.addNode(node, 2000, Map.of(), List.of());
        }
    }

    /**
     * The node is cut off, and its pod may still be running. Nobody deals with the node, so the
     * pod stays Terminating: the group ends at the deadline, saying which node, and its items run
     * nowhere else. Once the node is back, a restart runs them, after the old pod has ended.
     */
    @Test
    void aPodCutOffOnAPartitionedNodeEndsTheJobAtTheDeadlineAndARestartRunsItOnceTheNodeIsBack() throws Exception {
        String dir = Jobs.dir("it-k8s-partition");
        long submitted = System.nanoTime();
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));
        V1Pod pod = KubernetesSim.awaitEncoding(cluster, id, out(dir));
        String node = pod.getSpec().getNodeName();
        // Held still: the cut-off worker can neither finish nor publish while the coordinator decides.
        ItServer.signal("STOP", cluster.podProcess(pod.getMetadata().getName()).orElseThrow());
        cluster.partitionNode(node);

        JsonObject failed = Jobs.waitForEnd(id, JOB_TIMEOUT);
        double seconds = (System.nanoTime() - submitted) / 1e9;
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        assertThat(failed.getString("exitStatus"))
                .startsWith(
                        "no worker: pod " + pod.getMetadata().getName() + " on node " + node + " is still terminating ")
                .contains("(DeletionByTaintManager", "its node is unreachable", "kubectl delete node " + node);
        assertThat(KubernetesSim.podsCreated(cluster, id))
                .as("nothing ran the item elsewhere")
                .isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 1));
        assertThat(cluster.alivePodProcesses())
                .as("the cut-off pod's process, still there")
                .contains(pod.getMetadata().getName());
        assertThat(KubernetesSim.files(out(dir))).as("no output yet").doesNotContain(OUTPUT);

        cluster.recoverNode(node);
        Jobs.on(Api.Server.main()).control(id, "restart");
        JsonObject done = Jobs.waitForCompletedRestart(id, JOB_TIMEOUT);
        assertThat(done.getString("exitStatus")).isEqualTo("ALL DONE: 1 of 1 inputs done, 0 failed, 0 rejected");
        List<ProcessExit> runs = cluster.processExits().stream()
                .filter(e -> e.pod().startsWith(KubernetesSim.jobName(id, 1) + "-"))
                .sorted(Comparator.comparing(ProcessExit::started))
                .toList();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).started())
                .as("the new pod's start, against the cut-off pod's end at "
                        + runs.get(0).exited())
                .isAfterOrEqualTo(runs.get(0).exited());
        KubernetesSim.assertNothingLeft(cluster, id);
        KubernetesSim.assertOutputsWhole(done, out(dir));
        Report.row(
                "kubernetes",
                "a running pod's node cut off from the control plane (its process still running), nobody acting",
                String.format(
                        Locale.ROOT,
                        "FAILED %.1f s after submission: %s; once the node was back, a restart COMPLETED it: "
                                + "the new pod started after the old one had ended",
                        seconds,
                        failed.getString("exitStatus")));
    }

    /** A media volume that never mounts: ContainerCreating for good, the reason only in FailedMount events. */
    @Test
    void aPodWhoseVolumeNeverMountsEndsTheJobAtThePendingTimeoutNamingTheMount() {
        cluster.hangVolumes("it-media");
        String dir = Jobs.dir("it-k8s-mount");
        long submitted = System.nanoTime();
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));

        JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
        double seconds = (System.nanoTime() - submitted) / 1e9;
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("exitStatus"))
                .matches(
                        "no worker: pod " + KubernetesSim.jobName(id, 1)
                                + "-[a-z0-9]{5} has not started for 6 s: ContainerCreating; latest warning: FailedMount: .*media.*");
        KubernetesSim.assertNothingLeft(cluster, id);
        assertThat(KubernetesSim.jobsCreated(cluster, id)).isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 1));
        assertThat(KubernetesSim.files(out(dir))).as("no output").noneMatch(f -> f.endsWith(".mp4"));
        Report.row(
                "kubernetes",
                "the media volume never mounts (pod in ContainerCreating)",
                String.format(
                        Locale.ROOT,
                        "FAILED %.1f s after submission (pending timeout 6 s): %s",
                        seconds,
                        job.getString("exitStatus")));
    }

    /**
     * A container runtime that fails three starts in a row (StartError, exit 128): not the file's
     * fault, so not bad input. Kubernetes' retries are used up; the batch step makes a new Job,
     * whose pod runs, and the item is done.
     */
    @Test
    void threeStartErrorsAreTheClustersFaultAndTheGroupIsRetriedWithANewJob() {
        cluster.failContainerStarts(3);
        String dir = Jobs.dir("it-k8s-start-error");
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));

        JsonObject job = Jobs.waitForEnd(id, JOB_TIMEOUT);
        assertThat(job.getString("status")).as(job.toString()).isEqualTo("COMPLETED");
        assertThat(job.getString("exitStatus")).isEqualTo("ALL DONE: 1 of 1 inputs done, 0 failed, 0 rejected");
        String name = KubernetesSim.jobName(id, 1);
        assertThat(KubernetesSim.jobLog(id))
                .contains(
                        "lost the worker: Job " + name + " failed (BackoffLimitExceeded): its pods failed "
                                + "3 times, not for a reason in the file: StartError (exit 128): failed to create containerd task: ")
                .contains("will be retried");
        assertThat(KubernetesSim.jobsCreated(cluster, id))
                .as("the failed Job, then its replacement")
                .isEqualTo(Map.of(name, 2));
        assertThat(KubernetesSim.podsCreated(cluster, id)).isEqualTo(Map.of(name, 4));
        KubernetesSim.assertNothingLeft(cluster, id);
        KubernetesSim.assertOutputsWhole(job, out(dir));
        Report.row(
                "kubernetes",
                "the container runtime fails 3 starts in a row (StartError, exit 128)",
                "not bad input: Kubernetes' 3 tries used up, the batch step made a new Job; " + job.getString("status")
                        + ", " + job.getString("exitStatus") + "; 4 pods, 1 output");
    }

    /** A runtime that never starts a container: the retries have a cap, and the job ends saying why. */
    @Test
    void aRuntimeThatNeverStartsContainersEndsTheJobAfterTheRetryCapSayingWhy() {
        cluster.failContainerStarts(Integer.MAX_VALUE);
        String dir = Jobs.dir("it-k8s-start-error-forever");
        long id = Jobs.submit(KubernetesSim.body(List.of(INPUT), dir, 1));

        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        assertThat(job.getString("status")).isEqualTo("FAILED");
        String name = KubernetesSim.jobName(id, 1);
        assertThat(job.getString("exitStatus"))
                .startsWith("worker lost: Job " + name + " failed (BackoffLimitExceeded): its pods failed "
                        + "3 times, not for a reason in the file: StartError (exit 128): ");
        // Kubernetes' 3 tries, for the first Job and for each of the batch step's 3 retries.
        assertThat(KubernetesSim.jobsCreated(cluster, id)).isEqualTo(Map.of(name, 4));
        assertThat(KubernetesSim.podsCreated(cluster, id)).isEqualTo(Map.of(name, 12));
        assertThat(job.getJsonArray("items").getJsonObject(0).getString("state"))
                .as("left for a restart, not judged bad")
                .isNotEqualTo("DONE")
                .isNotEqualTo("FAILED");
        KubernetesSim.assertNothingLeft(cluster, id);
        assertThat(KubernetesSim.files(out(dir))).as("no output").noneMatch(f -> f.endsWith(".mp4"));
        Report.row(
                "kubernetes",
                "the container runtime never starts a container",
                job.getString("status") + " after 4 Jobs of 3 pods: " + job.getString("exitStatus")
                        + "; the item left pending for a restart");
    }

    private static Path out(String dir) {
        return Jobs.outputs().resolve(dir);
    }
}
