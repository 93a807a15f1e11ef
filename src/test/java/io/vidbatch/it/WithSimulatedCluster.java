package io.vidbatch.it;

import io.vidbatch.k8s.sim.SimulatedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;

/**
 * For ITs of the kubernetes launcher: the simulated cluster the IT server's kube config points
 * at runs while a class's tests run.
 */
abstract class WithSimulatedCluster {

    static SimulatedCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = KubernetesSim.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
