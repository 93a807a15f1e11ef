package io.vidbatch.it;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vidbatch.k8s.sim.SimulatedCluster;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated Kubernetes cluster the IT server's kubernetes launcher talks to (it-server.env:
 * namespace vidbatch-it, Jobs named vbit-{instance}-{item}), and what the Kubernetes ITs check
 * after a job: nothing left in the cluster, each Job created once, outputs whole and once.
 */
final class KubernetesSim {

    static final String NAMESPACE = "vidbatch-it";
    static final String PREFIX = "vbit";

    private KubernetesSim() {}

    /**
     * On the port the IT server's kube config names; the kube config is (re)written before any
     * job. As strict as a production cluster where it matters to the launcher: HTTPS with a CA
     * and a bearer token from the kube config, every request held to the Role we ship
     * (kubernetes/base/rbac-launcher.yaml), worker pods admitted only under Pod Security "restricted".
     */
    static SimulatedCluster start() throws IOException {
        // Process groups: a killed pod takes its ffmpeg with it, as a container runtime's cgroup would.
        SimulatedCluster c = SimulatedCluster.onPortSecure(Integer.getInteger("vidbatch.it.k8s.port"), TOKEN)
                .processGroups(true)
                .enforceRole(Path.of("kubernetes/base/rbac-launcher.yaml"), NAMESPACE);
        c.podSecurity(NAMESPACE, "restricted");
        c.kubeconfig(Path.of(System.getProperty("vidbatch.it.kubeconfig")));
        return c;
    }

    /** The coordinator's service account token, as the kube config hands it over. */
    private static final String TOKEN = "it-" + java.util.UUID.randomUUID();

    static String body(List<String> inputs, String outputDir, int workers) {
        return Jobs.body("inputs", inputs, "outputDir", outputDir, "launcher", "kubernetes", "workers", workers);
    }

    /** The Job name of an item of a job instance, as the launcher names it. */
    static String jobName(long instance, int item) {
        return PREFIX + "-" + instance + "-" + item;
    }

    static boolean ofInstance(String jobName, long instance) {
        return jobName.startsWith(PREFIX + "-" + instance + "-");
    }

    /** The first pod of the job instance that is Running, once one is. */
    static V1Pod awaitRunningPod(SimulatedCluster c, long instance, Duration timeout) {
        return c.awaitPod(
                p -> "Running"
                                .equals(
                                        p.getStatus() == null
                                                ? null
                                                : p.getStatus().getPhase())
                        && p.getMetadata().getDeletionTimestamp() == null
                        && ofInstance(jobNameOf(p), instance),
                timeout);
    }

    /**
     * A Running pod of the instance once the worker's temporary output is in the folder: the
     * encode is under way, so a fault now hits it mid-item.
     */
    static V1Pod awaitEncoding(SimulatedCluster c, long instance, Path dir) {
        try {
            return Waits.await(
                            "a Running pod of job " + instance + " encoding (a .part file in " + dir + ")",
                            Duration.ofSeconds(60),
                            Duration.ofMillis(20))
                    .until(() -> encodingPod(c, instance, dir), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; events: " + c.events(), e);
        }
    }

    private static Optional<V1Pod> encodingPod(SimulatedCluster c, long instance, Path dir) {
        if (files(dir).stream().noneMatch(f -> f.startsWith(".") && f.endsWith(".part"))) {
            return Optional.empty();
        }
        return c.pods().stream()
                .filter(p -> ofInstance(jobNameOf(p), instance)
                        && p.getMetadata().getDeletionTimestamp() == null
                        && "Running".equals(p.getStatus().getPhase()))
                .findFirst();
    }

    static String jobNameOf(V1Pod p) {
        return p.getMetadata().getLabels() == null
                ? ""
                : p.getMetadata().getLabels().getOrDefault("batch.kubernetes.io/job-name", "");
    }

    /** No Job and no pod of the instance left in the cluster, allowing a few seconds for deletions to finish. */
    static void assertNothingLeft(SimulatedCluster c, long instance) {
        c.await(
                () -> c.jobs().stream()
                                .noneMatch(j -> ofInstance(j.getMetadata().getName(), instance))
                        && c.pods().stream().noneMatch(p -> ofInstance(jobNameOf(p), instance)),
                Duration.ofSeconds(10),
                "no Job or pod of job instance " + instance + " left; jobs "
                        + c.jobs().stream().map(j -> j.getMetadata().getName()).toList() + ", pods "
                        + c.pods().stream().map(p -> p.getMetadata().getName()).toList());
        assertThat(c.alivePodProcesses().stream().filter(p -> p.startsWith(PREFIX + "-" + instance + "-")))
                .as("pod processes still running")
                .isEmpty();
    }

    /** Creations per Job name of the instance. */
    static Map<String, Integer> jobsCreated(SimulatedCluster c, long instance) {
        return c.jobsCreated().entrySet().stream()
                .filter(e -> ofInstance(e.getKey(), instance))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Integer::sum, TreeMap::new));
    }

    /** Every item of the job had its own Job, created exactly once. */
    static void assertEachJobCreatedOnce(SimulatedCluster c, JsonObject job) {
        long id = job.getJsonNumber("id").longValue();
        Map<String, Integer> expected = new TreeMap<>();
        for (JsonValue v : job.getJsonArray("items")) {
            expected.put(jobName(id, v.asJsonObject().getInt("item")), 1);
        }
        assertThat(jobsCreated(c, id)).as("creations per Job name").isEqualTo(expected);
    }

    /** Pods the Job controller made for each Job of the instance (from the cluster's event log). */
    static Map<String, Integer> podsCreated(SimulatedCluster c, long instance) {
        Pattern created = Pattern.compile("^job (\\S+): created pod (\\S+)$");
        Map<String, Integer> out = new TreeMap<>();
        for (String e : c.events()) {
            Matcher m = created.matcher(e);
            if (m.matches() && ofInstance(m.group(1), instance)) {
                out.merge(m.group(1), 1, Integer::sum);
            }
        }
        return out;
    }

    /** Each DONE item's output is in the folder once, and no temporary file is left. */
    static void assertOutputsWhole(JsonObject job, Path dir) {
        List<String> files = files(dir);
        assertThat(files)
                .as("temporary files left in " + dir)
                .noneMatch(f -> f.endsWith(".part") || f.endsWith(".tmp"));
        for (JsonValue v : job.getJsonArray("items")) {
            JsonObject item = v.asJsonObject();
            if (item.getString("state").equals("DONE")) {
                Path out = Path.of(item.getString("output"));
                assertThat(out.getParent()).isEqualTo(dir);
                assertThat(files)
                        .as("outputs")
                        .containsOnlyOnce(out.getFileName().toString());
                assertThat(Probe.of(out).frames()).as("frames of " + out).isPositive();
            }
        }
    }

    static List<String> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> workers(JsonObject job) {
        return job.getJsonArray("items").stream()
                .map(i -> i.asJsonObject())
                .map(i -> i.getString("worker", ""))
                .toList();
    }

    static String jobLog(long id) {
        return Api.as(Api.ADMIN)
                .get(Api.batchUrl() + "/jobinstances/" + id + "/joblogs?type=text")
                .body();
    }
}
