package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1Toleration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.vidbatch.k8s.sim.TestJobs.NS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node lost as the Kubernetes docs describe it ("Nodes: node status and heartbeats", "Taints and
 * Tolerations: taint based evictions", "Pod Lifecycle: pod garbage collection", "Non-graceful node
 * shutdown", Jobs' "Pod replacement policy"): the node goes Unknown and unreachable-tainted, its
 * pods are evicted when their toleration runs out, and stay Terminating until someone or something
 * finishes them.
 */
class NodeLossTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private SimulatedCluster cluster;
    private BatchV1Api batch;

    @BeforeEach
    void start() throws Exception {
        cluster = SimulatedCluster.start();
        batch = new BatchV1Api(cluster.apiClient());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /**
     * With a podFailurePolicy (podReplacementPolicy Failed) a pod evicted from a dead node is
     * neither counted nor replaced while it is Terminating, which it stays, phase Running, as no
     * kubelet confirms it; deleting the Node lets the pod garbage collector fail and remove it.
     */
    @Test
    void aDeadNodesEvictedPodStaysTerminatingUntilTheNodeIsDeleted() throws Exception {
        Path marker = tmp.resolve("marker");
        V1Job job = TestJobs.failurePolicy(TestJobs.shell("dead", TestJobs.firstRunHangs(marker.toString())), 3);
        tolerateUnreachableFor(job, 1);
        batch.createNamespacedJob(NS, job).execute();
        V1Pod first = cluster.awaitPod(TestJobs::running, WAIT);
        cluster.await(() -> marker.toFile().exists(), WAIT, "the first run to start");
        // DefaultTolerationSeconds adds what the pod does not already tolerate.
        assertThat(first.getSpec().getTolerations())
                .anySatisfy(t -> assertToleration(t, "node.kubernetes.io/not-ready", 300))
                .anySatisfy(t -> assertToleration(t, Taints.UNREACHABLE, 1))
                .filteredOn(t -> Taints.UNREACHABLE.equals(t.getKey()))
                .hasSize(1);
        String node = first.getSpec().getNodeName();

        cluster.loseNode(node);

        assertThat(cluster.alivePodProcesses()).isEmpty();
        V1Node lost = awaitNode(node, n -> "Unknown".equals(ready(n).getStatus()));
        assertThat(ready(lost).getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(lost.getSpec().getTaints())
                .anySatisfy(t -> {
                    assertThat(t.getKey()).isEqualTo(Taints.UNREACHABLE);
                    assertThat(t.getEffect()).isEqualTo("NoSchedule");
                })
                .anySatisfy(t -> {
                    assertThat(t.getKey()).isEqualTo(Taints.UNREACHABLE);
                    assertThat(t.getEffect()).isEqualTo("NoExecute");
                    assertThat(t.getTimeAdded()).isNotNull();
                });
        V1Pod evicted = cluster.awaitPod(p -> name(p).equals(name(first)) && Pods.deleting(p), WAIT);
        assertThat(TestJobs.phase(evicted)).isEqualTo("Running");
        assertDisruption(evicted, "DeletionByTaintManager");
        V1Job waiting = cluster.awaitJob(
                j -> j.getStatus() != null
                        && Integer.valueOf(1).equals(j.getStatus().getTerminating()),
                WAIT);
        assertThat(waiting.getStatus().getFailed()).isZero();
        assertThat(waiting.getStatus().getConditions()).isNullOrEmpty();
        assertThat(cluster.pods())
                .as("no replacement while it terminates")
                .singleElement()
                .satisfies(p -> assertThat(TestJobs.phase(p)).isEqualTo("Running"));

        cluster.deleteNode(node);

        V1Job done = cluster.awaitJob(j -> TestJobs.hasCondition(j, "Complete"), WAIT);
        assertThat(done.getStatus().getFailed()).isZero();
        assertThat(cluster.events()).anyMatch(e -> e.contains(name(first) + " failed -> Ignore"));
        assertThat(cluster.pod(name(first))).isEmpty();
        assertThat(cluster.pods())
                .singleElement()
                .satisfies(p -> assertThat(p.getSpec().getNodeName()).isNotEqualTo(node));
    }

    /**
     * Non-graceful node shutdown: the out-of-service taint evicts pods that tolerate unreachable
     * (here the default 300 s) at once, and the pod garbage collector force-deletes them.
     */
    @Test
    void theOutOfServiceTaintEndsTheTerminatingPodsOfADeadNode() throws Exception {
        Path marker = tmp.resolve("marker");
        batch.createNamespacedJob(
                        NS,
                        TestJobs.failurePolicy(
                                TestJobs.shell("shutdown", TestJobs.firstRunHangs(marker.toString())), 3))
                .execute();
        V1Pod first = cluster.awaitPod(TestJobs::running, WAIT);
        cluster.await(() -> marker.toFile().exists(), WAIT, "the first run to start");
        String node = first.getSpec().getNodeName();

        cluster.loseNode(node);
        awaitNode(node, n -> Taints.has(n, Taints.UNREACHABLE, "NoExecute"));
        cluster.awaitPod(
                p -> name(p).equals(name(first))
                        && "False".equals(TestJobs.condition(p, "Ready").getStatus()),
                WAIT);
        assertThat(cluster.pod(name(first)).orElseThrow().getMetadata().getDeletionTimestamp())
                .as("tolerated for 300 s")
                .isNull();

        cluster.markOutOfService(node);

        V1Job done = cluster.awaitJob(j -> TestJobs.hasCondition(j, "Complete"), WAIT);
        assertThat(done.getStatus().getFailed()).isZero();
        assertThat(cluster.pod(name(first))).isEmpty();
        assertThat(cluster.events()).anyMatch(e -> e.contains(name(first) + " failed -> Ignore"));
    }

    /**
     * A partition: the pod's process runs on, unseen. Without a podFailurePolicy
     * (podReplacementPolicy TerminatingOrFailed) the evicted pod counts as failed and is replaced
     * while it still runs; the Job has SuccessCriteriaMet but not Complete until that pod is
     * terminal, which happens when the node comes back and its kubelet finishes the deletion.
     */
    @Test
    void aPartitionedNodesPodRunsOnBesideItsReplacementUntilTheNodeComesBack() throws Exception {
        Path marker = tmp.resolve("marker");
        V1Job job = TestJobs.shell("split", TestJobs.firstRunHangs(marker.toString()));
        job.getSpec().backoffLimit(1);
        tolerateUnreachableFor(job, 1);
        batch.createNamespacedJob(NS, job).execute();
        V1Pod first = cluster.awaitPod(TestJobs::running, WAIT);
        cluster.await(() -> marker.toFile().exists(), WAIT, "the first run to start");
        String node = first.getSpec().getNodeName();

        cluster.partitionNode(node);

        V1Pod evicted = cluster.awaitPod(p -> name(p).equals(name(first)) && Pods.deleting(p), WAIT);
        assertDisruption(evicted, "DeletionByTaintManager");
        V1Job met = cluster.awaitJob(j -> TestJobs.hasCondition(j, "SuccessCriteriaMet"), WAIT);
        assertThat(met.getStatus().getFailed()).isEqualTo(1);
        assertThat(TestJobs.hasCondition(met, "Complete"))
                .as("Complete while a pod terminates")
                .isFalse();
        assertThat(cluster.alivePodProcesses())
                .as("the partitioned pod's process")
                .containsExactly(name(first));
        assertThat(cluster.pod(name(first)).orElseThrow().getStatus().getPhase())
                .isEqualTo("Running");

        cluster.recoverNode(node);

        cluster.awaitJob(j -> TestJobs.hasCondition(j, "Complete"), WAIT);
        assertThat(cluster.alivePodProcesses()).isEmpty();
        assertThat(cluster.pod(name(first))).isEmpty();
        V1Node back = awaitNode(node, n -> !Taints.has(n, Taints.UNREACHABLE, "NoExecute"));
        assertThat(ready(back).getStatus()).isEqualTo("True");
        assertThat(back.getSpec().getTaints()).isNullOrEmpty();
    }

    /** A dead node that reboots: its kubelet finds no container for a pod that was Running, and fails it. */
    @Test
    void aRebootedNodeFailsThePodsWhoseContainersItLost() throws Exception {
        batch.createNamespacedJob(NS, TestJobs.shell("rebooted", "exec sleep 60"))
                .execute();
        V1Pod pod = cluster.awaitPod(TestJobs::running, WAIT);
        String node = pod.getSpec().getNodeName();
        cluster.loseNode(node);
        awaitNode(node, n -> "Unknown".equals(ready(n).getStatus()));

        cluster.recoverNode(node);

        V1Pod failed = cluster.awaitPod(p -> name(p).equals(name(pod)) && "Failed".equals(TestJobs.phase(p)), WAIT);
        assertThat(SimulatedClusterTest.state(failed).getTerminated().getReason())
                .isEqualTo("ContainerStatusUnknown");
        assertThat(SimulatedClusterTest.state(failed).getTerminated().getExitCode())
                .isEqualTo(137);
        cluster.awaitJob(j -> TestJobs.hasCondition(j, "Failed"), WAIT);
    }

    private static void tolerateUnreachableFor(V1Job job, long seconds) {
        job.getSpec()
                .getTemplate()
                .getSpec()
                .addTolerationsItem(new V1Toleration()
                        .key(Taints.UNREACHABLE)
                        .operator("Exists")
                        .effect("NoExecute")
                        .tolerationSeconds(seconds));
    }

    private static void assertToleration(V1Toleration t, String key, long seconds) {
        assertThat(t.getKey()).isEqualTo(key);
        assertThat(t.getOperator()).isEqualTo("Exists");
        assertThat(t.getEffect()).isEqualTo("NoExecute");
        assertThat(t.getTolerationSeconds()).isEqualTo(seconds);
    }

    private static void assertDisruption(V1Pod pod, String reason) {
        V1PodCondition c = TestJobs.condition(pod, "DisruptionTarget");
        assertThat(c).isNotNull();
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo(reason);
    }

    private V1Node awaitNode(String name, java.util.function.Predicate<V1Node> condition) {
        cluster.await(
                () -> cluster.nodes().stream()
                        .anyMatch(n -> n.getMetadata().getName().equals(name) && condition.test(n)),
                WAIT,
                "node " + name);
        return cluster.nodes().stream()
                .filter(n -> n.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static V1NodeCondition ready(V1Node n) {
        return n.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }

    private static String name(V1Pod p) {
        return p.getMetadata().getName();
    }
}
