package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.vidbatch.k8s.sim.SimulatedCluster;
import io.vidbatch.launch.WorkerUnavailableException;
import io.vidbatch.media.Expected;
import io.vidbatch.media.Part;
import io.vidbatch.media.StreamPlan;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.work.Launch;
import io.vidbatch.work.WorkItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the launcher does with a Job of its group's name that is already in the cluster: a
 * stranger's is left alone and the group refused, one of ours made for other items is replaced.
 * Against the simulated cluster, through the launcher's real client.
 */
class KubernetesLauncherTest {

    static final String NS = "vidbatch";
    static final String OWNER = "owner-1";

    @TempDir
    Path dir;

    SimulatedCluster sim;
    KubernetesLauncher launcher;
    BatchV1Api batch;
    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sim = SimulatedCluster.start();
        KubernetesSettings s = JobSpecsTest.settings();
        s.kubeconfig = Optional.of(sim.kubeconfig(dir.resolve("kubeconfig")).toString());
        s.namespace = Optional.of(NS);
        // Any node, no shared volume: the pod's command runs as a local process ("true": ends at once, reporting
        // nothing).
        s.nodeSelector = Optional.empty();
        s.tolerations = Optional.empty();
        s.topologySpread = Optional.empty();
        s.mediaClaim = Optional.empty();
        s.command = "true";
        s.backoffLimit = 0;
        launcher = new KubernetesLauncher();
        launcher.settings = s;
        launcher.owner = new Owner() {
            @Override
            public String id() {
                return OWNER;
            }
        };
        batch = new BatchV1Api(sim.apiClient());
    }

    @AfterEach
    void stop() {
        launcher.close();
        sim.close();
    }

    private List<WorkItem> group(int... items) {
        return java.util.Arrays.stream(items)
                .mapToObj(i -> new WorkItem(
                        7,
                        i,
                        i,
                        Part.WHOLE,
                        0,
                        dir.resolve("in-" + i + ".mp4").toString(),
                        dir.resolve("out-" + i + ".mp4").toString(),
                        "h264-480p",
                        "",
                        Expected.of(10, 0, 1, 0.05, true, true),
                        new StreamPlan.Map(List.of(0), List.of(), null),
                        dir.resolve("item-" + i + ".log").toString(),
                        1,
                        false,
                        null,
                        null))
                .toList();
    }

    private Launch launch() {
        return new Launch(3, 0, (item, p) -> {}, () -> false, log::add);
    }

    /** A Job named as the launcher names the group's, labelled with the given owner (null: no owner label). */
    private void existing(String name, String owner, String items) throws Exception {
        Map<String, String> labels = new HashMap<>(Map.of(Labels.MANAGED_BY, "vidbatch", Labels.COORDINATOR, "vb"));
        if (owner != null) {
            labels.put(Labels.OWNER, owner);
        }
        labels.put(Labels.EXECUTION, "2");
        V1Job job = OtherJobs.job(name, labels);
        job.getMetadata().annotations(Map.of(Labels.ITEMS, items));
        batch.createNamespacedJob(NS, job).execute();
    }

    private List<String> jobNames() {
        return sim.jobs().stream().map(j -> j.getMetadata().getName()).toList();
    }

    @Test
    void aStrangersJobOfTheSameNameIsLeftAloneAndTheGroupRefused() throws Exception {
        existing("vb-7-1", "someone-else", "1,2");
        assertThatThrownBy(() -> launcher.run(group(1, 2), launch()))
                .isInstanceOf(WorkerUnavailableException.class)
                .hasMessageContaining(
                        "Job vb-7-1 in namespace vidbatch belongs to another coordinator (vidbatch.io/owner=someone-else;"
                                + " this one is owner-1), left untouched");
        assertThat(jobNames()).as("the stranger's Job, still there").containsExactly("vb-7-1");
        assertThat(sim.jobsCreated())
                .as("creations per Job name: none by the launcher")
                .isEqualTo(Map.of("vb-7-1", 1));
        assertThat(log)
                .noneMatch(l -> l.startsWith("adopting") || l.startsWith("replacing") || l.startsWith("created"));
    }

    @Test
    void aJobWithoutAnOwnerLabelIsAStrangersToo() throws Exception {
        existing("vb-7-1", null, "1");
        assertThatThrownBy(() -> launcher.run(group(1), launch()))
                .isInstanceOf(WorkerUnavailableException.class)
                .hasMessageContaining("it carries no vidbatch.io/owner label");
        assertThat(jobNames()).containsExactly("vb-7-1");
    }

    @Test
    void ourJobMadeForOtherItemsIsReplacedByOneForThisGroup() throws Exception {
        existing("vb-7-1", OWNER, "1,2,3");
        // The new Job's pod ends at once without a termination message: the group fails, saying so.
        assertThatThrownBy(() -> launcher.run(group(1, 2), launch()))
                .isInstanceOf(ToolFailureException.class)
                .hasMessage("the worker finished without a readable result: its termination message is empty");
        assertThat(log)
                .contains("replacing Job vb-7-1 (it ran other items)", "created Job vb-7-1 in namespace vidbatch");
        assertThat(sim.jobsCreated()).as("the old Job and its replacement").isEqualTo(Map.of("vb-7-1", 2));
        // Deleted in the foreground: the Job goes once its pod has.
        sim.await(
                () -> sim.jobs().isEmpty(),
                java.time.Duration.ofSeconds(10),
                "no Job left once the group has ended: " + jobNames());
    }
}
