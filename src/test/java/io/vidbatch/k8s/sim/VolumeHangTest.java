package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.vidbatch.k8s.sim.TestJobs.NS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A volume that never mounts, as "kubectl describe pod" shows it on a real cluster: the pod is
 * scheduled but stays Pending in ContainerCreating, and the kubelet's Warning FailedMount events
 * (one per message, its count growing with each repeat) say why.
 */
class VolumeHangTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SETUP_FAILED =
            "MountVolume.SetUp failed for volume \"media\" : mount failed: exit status 32";
    private static final String TIMED_OUT =
            "Unable to attach or mount volumes: unmounted volumes=[media], unattached volumes=[], "
                    + "failed to process volumes=[]: timed out waiting for the condition";

    private SimulatedCluster cluster;
    private BatchV1Api batch;
    private CoreV1Api core;

    @BeforeEach
    void start() throws Exception {
        cluster = SimulatedCluster.start().mountRetry(Duration.ofMillis(20)).mountTimeout(Duration.ofMillis(200));
        batch = new BatchV1Api(cluster.apiClient());
        core = new CoreV1Api(cluster.apiClient());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aPodWhoseClaimHangsWaitsInContainerCreatingWithFailedMountEventsUntilTheMountWorks() throws Exception {
        cluster.hangVolumes("media-.*");
        batch.createNamespacedJob(NS, withVolumes(TestJobs.shell("stuck", "exit 0")))
                .execute();

        V1Pod pod = cluster.awaitPod(p -> "ContainerCreating".equals(waiting(p)), WAIT);
        assertThat(pod.getSpec().getNodeName()).isNotNull();
        assertThat(TestJobs.phase(pod)).isEqualTo("Pending");
        assertThat(TestJobs.condition(pod, "PodReadyToStartContainers").getStatus())
                .isEqualTo("False");
        cluster.await(
                () -> events(pod, SETUP_FAILED).stream().anyMatch(e -> e.getCount() >= 3)
                        && !events(pod, TIMED_OUT).isEmpty(),
                WAIT,
                "repeated FailedMount events");
        CoreV1Event setUp = events(pod, SETUP_FAILED).get(0);
        assertThat(setUp.getType()).isEqualTo("Warning");
        assertThat(setUp.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(setUp.getInvolvedObject().getName())
                .isEqualTo(pod.getMetadata().getName());
        assertThat(setUp.getInvolvedObject().getUid())
                .isEqualTo(pod.getMetadata().getUid());
        assertThat(setUp.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(setUp.getSource().getHost()).isEqualTo(pod.getSpec().getNodeName());
        assertThat(setUp.getLastTimestamp()).isAfterOrEqualTo(setUp.getFirstTimestamp());
        assertThat(cluster.alivePodProcesses()).isEmpty();

        cluster.clearVolumeHangs();

        cluster.awaitJob(j -> TestJobs.hasCondition(j, "Complete"), WAIT);
    }

    /** A pod that never started has no container to stop: its graceful deletion ends at once, whatever its grace period. */
    @Test
    void aPodWaitingForItsVolumeIsDeletedAtOnce() throws Exception {
        cluster.hangVolumes("media-.*");
        V1Job job = withVolumes(TestJobs.shell("abandoned", "exit 0"));
        job.getSpec().getTemplate().getSpec().terminationGracePeriodSeconds(3600L);
        batch.createNamespacedJob(NS, job).execute();
        V1Pod pod = cluster.awaitPod(p -> "ContainerCreating".equals(waiting(p)), WAIT);

        core.deleteNamespacedPod(pod.getMetadata().getName(), NS).execute();

        cluster.await(() -> cluster.pod(pod.getMetadata().getName()).isEmpty(), WAIT, "the pod to go");
    }

    private static V1Job withVolumes(V1Job job) {
        job.getSpec()
                .getTemplate()
                .getSpec()
                .addVolumesItem(new V1Volume()
                        .name("media")
                        .persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource().claimName("media-nfs")))
                .addVolumesItem(new V1Volume().name("tmp").emptyDir(new V1EmptyDirVolumeSource()));
        TestJobs.container(job)
                .volumeMounts(List.of(
                        new V1VolumeMount().name("media").mountPath("/media"),
                        new V1VolumeMount().name("tmp").mountPath("/tmp")));
        return job;
    }

    private List<CoreV1Event> events(V1Pod pod, String message) {
        try {
            return core
                    .listNamespacedEvent(NS)
                    .fieldSelector("involvedObject.name=" + pod.getMetadata().getName() + ",reason=FailedMount")
                    .execute()
                    .getItems()
                    .stream()
                    .filter(e -> message.equals(e.getMessage()))
                    .toList();
        } catch (ApiException e) {
            throw new AssertionError("listing events: HTTP " + e.getCode() + " " + e.getResponseBody(), e);
        }
    }

    private static String waiting(V1Pod p) {
        if (p.getStatus() == null
                || p.getStatus().getContainerStatuses() == null
                || p.getStatus().getContainerStatuses().isEmpty()) {
            return null;
        }
        var w = p.getStatus().getContainerStatuses().get(0).getState().getWaiting();
        return w == null ? null : w.getReason();
    }
}
