package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vidbatch.k8s.sim.SimulatedCluster;
import io.vidbatch.work.WorkJsonTestAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker pod the launcher asks for, through the simulated apiserver's validation and pod
 * admission: it meets the restricted Pod Security Standard
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted), and a
 * LimitRange below its memory limit refuses it with LimitRanger's message.
 */
class WorkerPodAdmissionTest {
    private static final String NS = "vidbatch";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private SimulatedCluster cluster;
    private BatchV1Api batch;
    private CoreV1Api core;

    @BeforeEach
    void start() throws Exception {
        cluster = SimulatedCluster.start("node-a").createRetry(Duration.ofMillis(50));
        batch = new BatchV1Api(cluster.apiClient());
        core = new CoreV1Api(cluster.apiClient());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theWorkerPodMeetsTheRestrictedStandard() throws Exception {
        cluster.podSecurity(NS, "restricted");
        V1Job job = workerJob();
        batch.createNamespacedJob(NS, job).execute();

        V1Pod pod = cluster.awaitPod(
                p -> job.getMetadata()
                        .getName()
                        .equals(p.getMetadata().getLabels().get(Labels.JOB_NAME)),
                WAIT);
        assertThat(pod.getMetadata().getName()).startsWith(job.getMetadata().getName() + "-");
        assertThat(failedCreates(job)).isEmpty();
    }

    @Test
    void withoutItsSeccompProfileTheWorkerPodIsRefused() throws Exception {
        cluster.podSecurity(NS, "restricted");
        V1Job job = workerJob();
        job.getSpec().getTemplate().getSpec().getSecurityContext().seccompProfile(null);
        batch.createNamespacedJob(NS, job).execute();

        cluster.await(() -> !failedCreates(job).isEmpty(), WAIT, "a FailedCreate event");
        assertThat(failedCreates(job).get(0).getMessage())
                .matches("Error creating: pods \"vb-7-3-[a-z0-9]{5}\" is forbidden: "
                        + "violates PodSecurity \"restricted:latest\": seccompProfile \\(pod or container \"worker\" must set "
                        + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"\\)");
        assertThat(cluster.pods()).isEmpty();
    }

    @Test
    void aLimitRangeBelowTheWorkersMemoryLimitRefusesItsPod() throws Exception {
        cluster.limitRange(NS, "1Gi");
        V1Job job = workerJob();
        batch.createNamespacedJob(NS, job).execute();

        cluster.await(() -> !failedCreates(job).isEmpty(), WAIT, "a FailedCreate event");
        assertThat(failedCreates(job).get(0).getMessage())
                .matches("Error creating: pods \"vb-7-3-[a-z0-9]{5}\" is forbidden: "
                        + "maximum memory usage per Container is 1Gi, but limit is 2Gi");
        assertThat(cluster.pods()).isEmpty();

        cluster.limitRange(NS, "2Gi");
        cluster.awaitPod(
                p -> job.getMetadata()
                        .getName()
                        .equals(p.getMetadata().getLabels().get(Labels.JOB_NAME)),
                WAIT);
    }

    private static V1Job workerJob() {
        return new JobSpecs(JobSpecsTest.settings()).job(NS, "owner-1", List.of(WorkJsonTestAccess.ITEM), 12, 3);
    }

    private List<CoreV1Event> failedCreates(V1Job job) {
        try {
            return core.listNamespacedEvent(NS)
                    .fieldSelector("involvedObject.name=" + job.getMetadata().getName() + ",reason=FailedCreate")
                    .execute()
                    .getItems();
        } catch (io.kubernetes.client.openapi.ApiException e) {
            throw new AssertionError(e.getResponseBody(), e);
        }
    }
}
