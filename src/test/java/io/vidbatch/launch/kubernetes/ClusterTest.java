package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.vidbatch.k8s.sim.SimulatedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the launcher's view of the cluster holds, over a real client against the simulated API server. */
class ClusterTest {

    @Test
    void onlyThisOwnersJobsAreWatchedAndCallsCannotHangForGood(@TempDir Path dir) throws Exception {
        try (SimulatedCluster sim =
                SimulatedCluster.startSecure("t0ken").enforceRole(Path.of("kubernetes/base/rbac-launcher.yaml"))) {
            KubernetesSettings s = JobSpecsTest.settings();
            s.kubeconfig = Optional.of(sim.kubeconfig(dir.resolve("kubeconfig")).toString());
            s.namespace = Optional.of("vidbatch");
            Cluster c = new Cluster(s, "owner-1");
            try {
                BatchV1Api batch = new BatchV1Api(sim.apiClient());
                // A stranger's Job first, ours second: a watch delivers in order, so once ours is seen the other would
                // have been.
                batch.createNamespacedJob("vidbatch", job("vb-7-1", "someone-else"))
                        .execute();
                batch.createNamespacedJob("vidbatch", job("vb-7-2", "owner-1")).execute();
                sim.await(() -> c.job("vb-7-2") != null, Duration.ofSeconds(10), "our Job in the informer's cache");
                assertThat(c.job("vb-7-1")).as("the stranger's Job").isNull();

                assertThat(c.batch.getApiClient().getHttpClient().readTimeoutMillis())
                        .as("read timeout of calls, ms")
                        .isEqualTo(Cluster.CALL_TIMEOUT_SECONDS * 1000);
            } finally {
                c.close();
            }
        }
    }

    private static V1Job job(String name, String owner) {
        return OtherJobs.job(
                name, Map.of(Labels.MANAGED_BY, "vidbatch", Labels.COORDINATOR, "vb", Labels.OWNER, owner));
    }
}
