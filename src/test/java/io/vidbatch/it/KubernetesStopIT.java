package io.vidbatch.it;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vidbatch.k8s.sim.ProcessExit;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopping a kubernetes job deletes its Jobs and ends their pods at once; a restart completes it. */
@MicroShedTest
class KubernetesStopIT extends WithSimulatedCluster {

    @Test
    void stopDeletesTheJobsAndEndsThePodsAndRestartCompletes() {
        String dir = Jobs.dir("it-k8s-stop");
        Path out = Jobs.outputs().resolve(dir);
        long id =
                Jobs.submit(KubernetesSim.body(List.of("samples/long-720p-30s.mp4", "samples/city-1080p.mp4"), dir, 2));
        KubernetesSim.awaitEncoding(cluster, id, out);
        List<String> running = cluster.alivePodProcesses().stream()
                .filter(p -> p.startsWith("vbit-" + id + "-"))
                .toList();
        assertThat(running).as("pods running at the stop").isNotEmpty();

        long stopAt = System.nanoTime();
        Jobs.on(Api.Server.main()).control(id, "stop");
        cluster.await(
                () -> cluster.jobs().stream()
                                .noneMatch(j ->
                                        KubernetesSim.ofInstance(j.getMetadata().getName(), id))
                        && cluster.alivePodProcesses().stream().noneMatch(p -> p.startsWith("vbit-" + id + "-")),
                Duration.ofSeconds(30),
                "the job's Jobs deleted and pod processes ended");
        double seconds = (System.nanoTime() - stopAt) / 1e9;
        System.out.printf(
                "kubernetes stop: %d pod(s) running, Jobs deleted and pod processes gone %.2f s after the stop request%n",
                running.size(), seconds);
        Report.row(
                "kubernetes",
                "a job stopped over REST while " + running.size() + " pods encode",
                String.format(
                        java.util.Locale.ROOT,
                        "Jobs deleted and pod processes gone %.2f s after the stop request (grace 5 s)",
                        seconds));

        JsonObject stopped = Jobs.waitForEnd(id, Duration.ofMinutes(1));
        assertThat(stopped.getString("status")).isEqualTo("STOPPED");
        assertThat(stopped.getJsonArray("items"))
                .anySatisfy(i -> assertThat(i.asJsonObject().getString("state")).isNotEqualTo("DONE"));
        assertThat(KubernetesSim.files(out))
                .as("no temporary file after the stop")
                .noneMatch(f -> f.endsWith(".part"));
        KubernetesSim.assertNothingLeft(cluster, id);

        Jobs.on(Api.Server.main()).control(id, "restart");
        JsonObject done = Jobs.waitForCompletedRestart(id, Duration.ofMinutes(2));
        assertThat(done.getString("exitStatus")).isEqualTo("ALL DONE: 2 of 2 inputs done, 0 failed, 0 rejected");
        assertThat(KubernetesSim.workers(done)).allMatch(w -> w.startsWith("k8s:"));
        assertThat(Probe.of(out.resolve("long-720p-30s-h264-720p.mp4")).frames())
                .isEqualTo(900);
        KubernetesSim.assertOutputsWhole(done, out);
        KubernetesSim.assertNothingLeft(cluster, id);
        // A stopped item's Job was deleted, so the restart creates it again: once per execution that ran it.
        long first = done.getJsonArray("executions")
                .getJsonObject(1)
                .getJsonNumber("id")
                .longValue();
        java.util.Map<String, Integer> expected = new java.util.TreeMap<>();
        done.getJsonArray("items")
                .forEach(v -> expected.put(
                        KubernetesSim.jobName(id, v.asJsonObject().getInt("item")),
                        v.asJsonObject().getJsonNumber("execution").longValue() == first ? 1 : 2));
        assertThat(expected).containsValue(2);
        assertThat(KubernetesSim.jobsCreated(cluster, id)).isEqualTo(expected);
    }

    @Test
    void aRestartRightAfterAStopWaitsForTheSlowToDiePodSoNoTwoPodsEverRunTheSameItems() throws Exception {
        String dir = Jobs.dir("it-k8s-overlap");
        Path out = Jobs.outputs().resolve(dir);
        long id = Jobs.submit(KubernetesSim.body(List.of("samples/long-720p-30s.mp4"), dir, 1));
        V1Pod pod = KubernetesSim.awaitEncoding(cluster, id, out);
        // Held still, the worker ignores its SIGTERM: the pod ends only when its grace period (5 s here)
        // runs out, as a pod on a busy or sick node does.
        ItServer.signal("STOP", cluster.podProcess(pod.getMetadata().getName()).orElseThrow());

        Jobs.on(Api.Server.main()).control(id, "stop");
        assertThat(Jobs.waitForEnd(id, Duration.ofMinutes(1)).getString("status"))
                .isEqualTo("STOPPED");
        Jobs.on(Api.Server.main()).control(id, "restart");
        JsonObject done = Jobs.waitForCompletedRestart(id, Duration.ofMinutes(2));

        assertThat(done.getString("exitStatus")).isEqualTo("ALL DONE: 1 of 1 inputs done, 0 failed, 0 rejected");
        assertThat(KubernetesSim.jobLog(id))
                .contains("waiting for Job " + KubernetesSim.jobName(id, 1)
                        + " and its pods to be gone before making it again");
        // Each pod's process, from its start to its exit: the restarted Job's pod starts only after
        // the stopped one's has ended.
        List<ProcessExit> runs = cluster.processExits().stream()
                .filter(e -> e.pod().startsWith(KubernetesSim.jobName(id, 1) + "-"))
                .sorted(java.util.Comparator.comparing(ProcessExit::started))
                .toList();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).started())
                .as("the new pod's start, against the old pod's exit at "
                        + runs.get(0).exited())
                .isAfterOrEqualTo(runs.get(0).exited());
        assertThat(Probe.of(out.resolve("long-720p-30s-h264-720p.mp4")).frames())
                .isEqualTo(900);
        KubernetesSim.assertNothingLeft(cluster, id);
    }
}
