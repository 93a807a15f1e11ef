package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.vidbatch.work.WorkJson;
import io.vidbatch.work.WorkJsonTestAccess;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JobSpecsTest {

    static KubernetesSettings settings() {
        KubernetesSettings s = new KubernetesSettings();
        s.kubeconfig = Optional.empty();
        s.namespace = Optional.empty();
        s.jobPrefix = "vb";
        s.image = "registry.example/vidbatch-worker:1.0";
        s.command = "java -jar /opt/vidbatch/worker/vidbatch-worker.jar";
        s.imagePullPolicy = "IfNotPresent";
        s.mediaClaim = Optional.of("vidbatch-media");
        s.mediaPath = "/media";
        s.serviceAccount = "vidbatch-worker";
        s.runAsUser = 1001;
        s.cpuRequest = "1";
        s.cpuLimit = Optional.of("2");
        s.memoryRequest = "512Mi";
        s.memoryLimit = "2Gi";
        s.nodeSelector = Optional.of("pool=transcode, disk=ssd");
        s.tolerations = Optional.of(
                "[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"video\",\"effect\":\"NoSchedule\"}]");
        s.affinity = Optional.empty();
        s.topologySpread = Optional.of(
                "[{\"maxSkew\":1,\"topologyKey\":\"kubernetes.io/hostname\",\"whenUnsatisfiable\":\"ScheduleAnyway\"}]");
        s.pendingTimeoutSeconds = 300;
        s.backoffLimit = 2;
        s.ttlSecondsAfterFinished = 600;
        s.terminationGraceSeconds = 30;
        s.resyncSeconds = 30;
        return s;
    }

    @Test
    void theJobCarriesTheItemAndIsFoundByItsLabels() {
        V1Job job = new JobSpecs(settings()).job("media", "owner-1", List.of(WorkJsonTestAccess.ITEM), 12, 3);
        assertThat(job.getMetadata().getName()).isEqualTo("vb-7-3");
        assertThat(job.getMetadata().getLabels())
                .containsEntry("vidbatch.io/job-instance", "7")
                .containsEntry("vidbatch.io/item", "3")
                .containsEntry("vidbatch.io/execution", "12")
                .containsEntry("vidbatch.io/partition", "3")
                .containsEntry("app.kubernetes.io/managed-by", "vidbatch")
                .containsEntry("app.kubernetes.io/name", "vidbatch")
                .containsEntry("app.kubernetes.io/component", "worker")
                .containsEntry("app.kubernetes.io/part-of", "vidbatch")
                .containsEntry("app.kubernetes.io/instance", "vb")
                .containsEntry("app.kubernetes.io/version", "1.0")
                .containsEntry("vidbatch.io/owner", "owner-1");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .isEqualTo(job.getMetadata().getLabels());
        V1Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(WorkJson.readItems(c.getEnv().get(0).getValue())).containsExactly(WorkJsonTestAccess.ITEM);
        assertThat(job.getMetadata().getAnnotations()).containsEntry("vidbatch.io/items", "3");
        assertThat(c.getCommand()).containsExactly("java", "-jar", "/opt/vidbatch/worker/vidbatch-worker.jar");
    }

    @Test
    void theVersionLabelIsTheImageTagWhenItCanBeOne() {
        assertThat(Labels.version("registry:5000/vidbatch-worker:1.4.2")).hasValue("1.4.2");
        assertThat(Labels.version("vidbatch-worker:1.4.2@sha256:" + "a".repeat(64)))
                .hasValue("1.4.2");
        // A port is not a tag; a digest alone names no version.
        assertThat(Labels.version("registry:5000/vidbatch-worker")).isEmpty();
        assertThat(Labels.version("vidbatch-worker@sha256:" + "a".repeat(64))).isEmpty();
        // A tag may hold 128 characters, a label value 63.
        assertThat(Labels.version("vidbatch-worker:" + "v".repeat(64))).isEmpty();
    }

    @Test
    void badInputFailsAtOnceAndDisruptionsDoNotCount() {
        var rules = new JobSpecs(settings())
                .job("media", "owner-1", List.of(WorkJsonTestAccess.ITEM), 1, 0)
                .getSpec()
                .getPodFailurePolicy()
                .getRules();
        assertThat(rules.get(0).getAction()).isEqualTo("FailJob");
        assertThat(rules.get(0).getOnExitCodes().getValues()).containsExactly(3);
        assertThat(rules.get(1).getAction()).isEqualTo("Ignore");
        assertThat(rules.get(1).getOnPodConditions().get(0).getType()).isEqualTo("DisruptionTarget");
    }

    @Test
    void podPlacementAndSafetyComeFromSettings() {
        V1Job job = new JobSpecs(settings()).job("media", "owner-1", List.of(WorkJsonTestAccess.ITEM), 1, 0);
        V1PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getNodeSelector()).containsEntry("pool", "transcode").containsEntry("disk", "ssd");
        assertThat(pod.getTolerations().get(0).getKey()).isEqualTo("dedicated");
        assertThat(pod.getTopologySpreadConstraints().get(0).getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getFsGroupChangePolicy())
                .as("no chown of the whole media volume at each start")
                .isEqualTo("OnRootMismatch");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp", "media");
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getMountPath())
                .containsExactly("/tmp", "/media");
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
        assertThat(pod.getContainers()
                        .get(0)
                        .getResources()
                        .getLimits()
                        .get("memory")
                        .toSuffixedString())
                .isEqualTo("2Gi");
    }
}
