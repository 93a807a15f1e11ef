package io.vidbatch.it;

import io.kubernetes.client.openapi.models.V1Pod;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator (the Liberty JVM) dies with SIGKILL while a pod encodes; started again and the
 * job restarted, the launcher adopts the Job it made before instead of creating it twice.
 */
@MicroShedTest
class KubernetesCoordinatorRestartIT extends WithSimulatedCluster {

    @Test
    void aCoordinatorKilledMidItemAdoptsItsJobAfterARestart() throws Exception {
        String dir = Jobs.dir("it-k8s-coordinator");
        Path out = Jobs.outputs().resolve(dir);
        long id = Jobs.submit(KubernetesSim.body(List.of("samples/long-720p-30s.mp4"), dir, 1));
        V1Pod pod = KubernetesSim.awaitEncoding(cluster, id, out);
        long firstExecution = Jobs.get(id)
                .getJsonArray("executions")
                .getJsonObject(0)
                .getJsonNumber("id")
                .longValue();

        // Hold the encode still while the coordinator is away (SIGSTOP to its ffmpeg), so that the restarted
        // coordinator meets a pod that is still running, as it would with an item of an hour.
        List<ProcessHandle> ffmpeg = StopRestartIT.ffmpegFor(dir);
        assertThat(ffmpeg).as("the pod's ffmpeg").hasSize(1);
        ItServer.signal("STOP", ffmpeg.get(0));

        ItServer.kill();
        assertThat(cluster.alivePodProcesses())
                .as("the pod outlives its coordinator")
                .contains(pod.getMetadata().getName());
        long down = System.nanoTime();
        ItServer.start();
        System.out.printf(
                "coordinator restart: server up again %.1f s after SIGKILL%n", (System.nanoTime() - down) / 1e9);

        // Liberty's batch runtime marks the executions that were running when its server died FAILED as the
        // server starts again (no message in messages.log), so a plain restart is allowed: no manual step.
        JsonObject orphaned = Jobs.waitForEnd(id, Duration.ofMinutes(1));
        System.out.println("coordinator restart: execution " + firstExecution + " after the crash: "
                + orphaned.getString("status"));
        assertThat(orphaned.getString("status")).isEqualTo("FAILED");

        Jobs.on(Api.Server.main()).control(id, "restart");
        Waits.await(
                        "the job log saying 'adopting Job " + KubernetesSim.jobName(id, 1)
                                + "' within a minute of the restart",
                        Duration.ofMinutes(1),
                        Duration.ofMillis(200))
                .until(() -> KubernetesSim.jobLog(id).contains("adopting Job " + KubernetesSim.jobName(id, 1)));
        assertThat(cluster.alivePodProcesses())
                .as("the adopted pod is still running")
                .contains(pod.getMetadata().getName());
        ItServer.signal("CONT", ffmpeg.get(0));
        JsonObject done = Jobs.waitForCompletedRestart(id, Duration.ofMinutes(2));
        assertThat(done.getString("exitStatus")).isEqualTo("ALL DONE: 1 of 1 inputs done, 0 failed, 0 rejected");
        long secondExecution = done.getJsonArray("executions")
                .getJsonObject(0)
                .getJsonNumber("id")
                .longValue();
        assertThat(KubernetesSim.jobsCreated(cluster, id))
                .as("creations per Job name: no duplicate")
                .isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 1));
        assertThat(KubernetesSim.podsCreated(cluster, id)).isEqualTo(Map.of(KubernetesSim.jobName(id, 1), 1));
        assertThat(KubernetesSim.workers(done))
                .containsExactly("k8s:" + pod.getSpec().getNodeName() + "/"
                        + pod.getMetadata().getName());
        String log = Api.as(Api.ADMIN)
                .get(Api.batchUrl() + "/jobexecutions/" + secondExecution + "/joblogs?type=text")
                .body();
        assertThat(log)
                .contains(
                        "adopting Job " + KubernetesSim.jobName(id, 1) + " (made by execution " + firstExecution + ")");
        KubernetesSim.assertOutputsWhole(done, out);
        KubernetesSim.assertNothingLeft(cluster, id);
    }
}
