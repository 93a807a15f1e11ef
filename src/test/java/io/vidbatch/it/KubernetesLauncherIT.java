package io.vidbatch.it;

import io.vidbatch.launch.kubernetes.KubernetesLauncher;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;
import org.yaml.snakeyaml.Yaml;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kubernetes launcher against the simulated cluster: the same job as the local and the
 * process launcher gives the same outputs, leaves nothing behind, and uses only what the
 * launcher's Role grants.
 */
@MicroShedTest
class KubernetesLauncherIT extends WithSimulatedCluster {

    @Test
    void kubernetesWorkersGiveTheSameOutputsAsLocalAndProcessAndLeaveNothingBehind() throws Exception {
        long k8s = Jobs.submit(KubernetesSim.body(LaunchersIT.INPUTS, Jobs.dir("it-k8s"), 3));
        long local = Jobs.submit(
                Jobs.body("inputs", LaunchersIT.INPUTS, "outputDir", Jobs.dir("it-k8s-local"), "launcher", "local"));
        long process = Jobs.submit(Jobs.body(
                "inputs", LaunchersIT.INPUTS, "outputDir", Jobs.dir("it-k8s-process"), "launcher", "process"));

        JsonObject k = Jobs.waitForEnd(k8s, Duration.ofMinutes(2));
        assertThat(k.getString("status")).as(k.toString()).isEqualTo("COMPLETED");
        assertThat(k.getString("exitStatus")).isEqualTo("ALL DONE: 3 of 3 inputs done, 0 failed, 0 rejected");
        assertThat(KubernetesSim.workers(k))
                .hasSize(3)
                .allMatch(w -> w.matches("k8s:node-[abc]/vbit-" + k8s + "-\\d+-[a-z0-9]{5}"));
        assertThat(Jobs.waitForEnd(local, Duration.ofMinutes(2)).getString("exitStatus"))
                .startsWith("ALL DONE");
        assertThat(Jobs.waitForEnd(process, Duration.ofMinutes(2)).getString("exitStatus"))
                .startsWith("ALL DONE");

        // Every item's ffmpeg report reaches the job log, wherever it ran: a worker process's and a
        // pod's output is copied into the partition's log.
        for (long id : List.of(k8s, local, process)) {
            String log = KubernetesSim.jobLog(id);
            for (int item = 1; item <= LaunchersIT.INPUTS.size(); item++) {
                assertThat(log)
                        .as("job " + id + ", item " + item)
                        .containsPattern("item " + item + " .*ffmpeg: \\[info\\] frame=");
            }
        }

        // Same streams, sizes and frame counts, whichever launcher ran the items.
        assertThat(LaunchersIT.outputs(k8s))
                .isEqualTo(LaunchersIT.outputs(local))
                .isEqualTo(LaunchersIT.outputs(process));
        KubernetesSim.assertOutputsWhole(k, Jobs.outputs().resolve(Jobs.dir("it-k8s")));
        KubernetesSim.assertNothingLeft(cluster, k8s);
        KubernetesSim.assertEachJobCreatedOnce(cluster, k);
        assertThat(KubernetesSim.podsCreated(cluster, k8s))
                .as("pods per Job")
                .hasSize(3)
                .allSatisfy((j, n) -> assertThat(n).isEqualTo(1));
        assertThat(KubernetesSim.jobLog(k8s))
                .contains("created Job " + KubernetesSim.jobName(k8s, 1) + " in namespace vidbatch-it");

        // RBAC: what the launcher used is what it declares, and the Role grants exactly that.
        Set<String> used = cluster.api().rbacVerbs();
        Set<String> declared = new TreeSet<>(KubernetesLauncher.API_CALLS);
        System.out.println("kubernetes launcher used: " + used + "; declares " + declared);
        assertThat(used).as("verbs used").isNotEmpty().isSubsetOf(declared);
        assertThat(used)
                .as("verbs used by one clean run")
                .contains(
                        "create jobs",
                        "list jobs",
                        "watch jobs",
                        "delete jobs",
                        "list pods",
                        "watch pods",
                        "get pods/log");
        assertThat(roleRules(Path.of("kubernetes/base/rbac-launcher.yaml")))
                .as("the Role's rules")
                .isEqualTo(declared);

        // A pod's log is read bounded: its last lines, and no more than 256 KiB of them.
        assertThat(cluster.api().requests())
                .filteredOn(r -> r.rbac().equals("get pods/log"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.query())
                        .contains("tailLines=" + KubernetesLauncher.LOG_TAIL_LINES)
                        .contains("limitBytes=" + KubernetesLauncher.LOG_LIMIT_BYTES));
    }

    /** "verb resource" for every verb and resource of the Role in a manifest file. */
    @SuppressWarnings("unchecked")
    static Set<String> roleRules(Path file) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml().loadAll(r)) {
                Map<String, Object> m = (Map<String, Object>) doc;
                if (m == null || !"Role".equals(m.get("kind"))) {
                    continue;
                }
                for (Map<String, Object> rule : (List<Map<String, Object>>) m.get("rules")) {
                    for (String res : (List<String>) rule.get("resources")) {
                        for (String verb : (List<String>) rule.get("verbs")) {
                            out.add(verb + " " + res);
                        }
                    }
                }
            }
        }
        return out;
    }
}
