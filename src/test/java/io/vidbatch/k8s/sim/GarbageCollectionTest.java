package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.vidbatch.k8s.sim.TestJobs.NS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cascading deletion as the Kubernetes docs ("Use Cascading Deletion", "Garbage Collection")
 * describe it: the garbage collector, not the DELETE request, deletes or orphans the dependents.
 * The collector is held back (a very long gcDelay) to look at the state in between, then let go.
 */
class GarbageCollectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HELD = Duration.ofDays(1);

    private SimulatedCluster cluster;
    private BatchV1Api batch;

    @BeforeEach
    void start() throws Exception {
        cluster = SimulatedCluster.start().gcDelay(HELD);
        batch = new BatchV1Api(cluster.apiClient());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /**
     * Background: "Kubernetes deletes the owner object immediately and the garbage collector
     * controller deletes the dependents in the background". A same-named Job created meanwhile
     * runs its pod beside the old one.
     */
    @Test
    void backgroundRemovesTheJobAtOnceAndItsPodLaterSoARecreatedJobOverlapsIt() throws Exception {
        V1Pod old = runningPodOf(create("same"));

        batch.deleteNamespacedJob("same", NS)
                .body(new V1DeleteOptions().propagationPolicy("Background"))
                .execute();

        assertThat(cluster.jobs()).as("the Job right after the DELETE").isEmpty();
        String newUid = create("same").getMetadata().getUid();
        V1Pod fresh = cluster.awaitPod(p -> TestJobs.running(p) && owner(p).equals(newUid), WAIT);
        assertThat(cluster.alivePodProcesses())
                .containsExactlyInAnyOrder(
                        old.getMetadata().getName(), fresh.getMetadata().getName());
        assertThat(cluster.pod(old.getMetadata().getName())
                        .orElseThrow()
                        .getMetadata()
                        .getDeletionTimestamp())
                .isNull();

        cluster.gcDelay(Duration.ZERO);

        cluster.await(() -> cluster.pod(old.getMetadata().getName()).isEmpty(), WAIT, "the old pod to be collected");
        assertThat(cluster.alivePodProcesses())
                .containsExactly(fresh.getMetadata().getName());
        assertThat(cluster.pod(fresh.getMetadata().getName())
                        .orElseThrow()
                        .getMetadata()
                        .getDeletionTimestamp())
                .isNull();
    }

    /**
     * Foreground: "the owner object first enters a deletion in progress state" (deletionTimestamp,
     * finalizer foregroundDeletion); the collector deletes the dependents, and the owner goes only
     * after every dependent with ownerReference.blockOwnerDeletion=true is gone.
     */
    @Test
    void foregroundKeepsTheJobUntilItsPodIsGone() throws Exception {
        V1Pod pod = runningPodOf(create("fg"));
        AtomicBoolean jobWentFirst = new AtomicBoolean();
        cluster.api().store().addListener(() -> {
            if (cluster.api().store().peek(new ObjectKey(ResourceKind.JOB, NS, "fg")) == null
                    && cluster.api().store().peek(Pods.key(pod)) != null) {
                jobWentFirst.set(true);
            }
        });

        batch.deleteNamespacedJob("fg", NS)
                .body(new V1DeleteOptions().propagationPolicy("Foreground"))
                .execute();

        V1Job deleting = cluster.job("fg").orElseThrow();
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(deleting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
        assertThat(pod.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(r -> assertThat(r.getBlockOwnerDeletion()).isTrue());
        assertThat(cluster.alivePodProcesses())
                .as("before the collector acts")
                .containsExactly(pod.getMetadata().getName());

        cluster.gcDelay(Duration.ZERO);

        cluster.await(() -> cluster.jobs().isEmpty(), WAIT, "the Job to go");
        assertThat(cluster.pods()).isEmpty();
        assertThat(jobWentFirst)
                .as("the Job was removed while its pod was still there")
                .isFalse();
    }

    /** Orphan: the collector removes the dependents' ownerReferences, then the owner goes; the pods run on. */
    @Test
    void orphanLeavesThePodRunningWithoutItsOwnerReference() throws Exception {
        V1Pod pod = runningPodOf(create("orphaner"));

        batch.deleteNamespacedJob("orphaner", NS)
                .body(new V1DeleteOptions().propagationPolicy("Orphan"))
                .execute();

        V1Job deleting = cluster.job("orphaner").orElseThrow();
        assertThat(deleting.getMetadata().getFinalizers()).containsExactly("orphan");
        assertThat(cluster.pod(pod.getMetadata().getName())
                        .orElseThrow()
                        .getMetadata()
                        .getOwnerReferences())
                .hasSize(1);

        cluster.gcDelay(Duration.ZERO);

        cluster.await(() -> cluster.jobs().isEmpty(), WAIT, "the Job to go");
        V1Pod orphan = cluster.pod(pod.getMetadata().getName()).orElseThrow();
        assertThat(orphan.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(orphan.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(cluster.alivePodProcesses())
                .containsExactly(pod.getMetadata().getName());
    }

    private V1Job create(String name) throws Exception {
        return batch.createNamespacedJob(NS, TestJobs.shell(name, "exec sleep 60"))
                .execute();
    }

    private V1Pod runningPodOf(V1Job job) {
        String uid = job.getMetadata().getUid();
        return cluster.awaitPod(p -> TestJobs.running(p) && owner(p).equals(uid), WAIT);
    }

    private static String owner(V1Pod p) {
        List<io.kubernetes.client.openapi.models.V1OwnerReference> refs =
                p.getMetadata().getOwnerReferences();
        return refs == null || refs.isEmpty() ? "" : refs.get(0).getUid();
    }
}
