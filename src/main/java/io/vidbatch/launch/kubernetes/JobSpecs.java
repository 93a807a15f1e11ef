package io.vidbatch.launch.kubernetes;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Affinity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodFailurePolicy;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnExitCodesRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnPodConditionsPattern;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.openapi.models.V1TopologySpreadConstraint;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.WorkItem;
import io.vidbatch.work.WorkJson;
import io.vidbatch.work.WorkerEnvironment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The batch/v1 Job that runs one group of work items in a pod. */
final class JobSpecs {

    static final String CONTAINER = "worker";

    private final KubernetesSettings s;
    private final Gson gson = new JSON().getGson();

    JobSpecs(KubernetesSettings settings) {
        this.s = settings;
    }

    V1Job job(String namespace, String owner, List<WorkItem> group, long execution, int partition) {
        Map<String, String> labels = Labels.of(s.jobPrefix(), owner, s.image(), group, execution, partition);
        V1Container worker = new V1Container()
                .name(CONTAINER)
                .image(s.image())
                .imagePullPolicy(s.imagePullPolicy())
                .command(s.command())
                .env(List.of(new V1EnvVar().name(WorkerEnvironment.ITEMS).value(WorkJson.writeItems(group))))
                .resources(resources())
                // The outcome is the termination message; a worker that dies before writing it leaves its log tail.
                .terminationMessagePolicy("FallbackToLogsOnError")
                .securityContext(new V1SecurityContext()
                        .allowPrivilegeEscalation(false)
                        .readOnlyRootFilesystem(true)
                        .runAsNonRoot(true)
                        .capabilities(new V1Capabilities().drop(List.of("ALL"))))
                .volumeMounts(mounts());
        V1PodSpec pod = new V1PodSpec()
                .restartPolicy("Never")
                .serviceAccountName(s.serviceAccount())
                .automountServiceAccountToken(false)
                .terminationGracePeriodSeconds(s.terminationGraceSeconds())
                .securityContext(new V1PodSecurityContext()
                        .runAsNonRoot(true)
                        .runAsUser(s.runAsUser())
                        .runAsGroup(s.runAsUser())
                        .fsGroup(s.runAsUser())
                        // Without it, drivers that apply fsGroup chown the whole media volume at every pod start.
                        .fsGroupChangePolicy("OnRootMismatch")
                        .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
                .containers(List.of(worker))
                .volumes(volumes());
        if (!s.nodeSelector().isEmpty()) {
            pod.nodeSelector(s.nodeSelector());
        }
        s.tolerationsJson()
                .ifPresent(j -> pod.tolerations(gson.fromJson(j, new TypeToken<List<V1Toleration>>() {}.getType())));
        s.affinityJson().ifPresent(j -> pod.affinity(gson.fromJson(j, V1Affinity.class)));
        s.topologySpreadJson()
                .ifPresent(j -> pod.topologySpreadConstraints(
                        gson.fromJson(j, new TypeToken<List<V1TopologySpreadConstraint>>() {}.getType())));
        return new V1Job()
                .apiVersion("batch/v1")
                .kind("Job")
                .metadata(new V1ObjectMeta()
                        .name(Labels.jobName(s.jobPrefix(), group))
                        .namespace(namespace)
                        .labels(labels)
                        .annotations(Map.of(Labels.ITEMS, Labels.items(group))))
                .spec(new V1JobSpec()
                        .backoffLimit(s.backoffLimit())
                        .ttlSecondsAfterFinished(s.ttlSecondsAfterFinished())
                        .podFailurePolicy(failurePolicy())
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(labels))
                                .spec(pod)));
    }

    /**
     * Bad input fails the Job at once (retrying cannot help); a disruption (eviction, preemption,
     * node drain) does not count against the backoff limit; any other failure counts.
     */
    static V1PodFailurePolicy failurePolicy() {
        return new V1PodFailurePolicy()
                .rules(List.of(
                        new V1PodFailurePolicyRule()
                                .action("FailJob")
                                .onExitCodes(new V1PodFailurePolicyOnExitCodesRequirement()
                                        .containerName(CONTAINER)
                                        .operator("In")
                                        .values(List.of(Outcome.EXIT_BAD_INPUT))),
                        new V1PodFailurePolicyRule()
                                .action("Ignore")
                                .onPodConditions(List.of(new V1PodFailurePolicyOnPodConditionsPattern()
                                        .type("DisruptionTarget")
                                        .status("True")))));
    }

    private V1ResourceRequirements resources() {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put("cpu", Quantity.fromString(s.cpuRequest()));
        requests.put("memory", Quantity.fromString(s.memoryRequest()));
        Map<String, Quantity> limits = new LinkedHashMap<>();
        s.cpuLimit().ifPresent(c -> limits.put("cpu", Quantity.fromString(c)));
        limits.put("memory", Quantity.fromString(s.memoryLimit()));
        return new V1ResourceRequirements().requests(requests).limits(limits);
    }

    /** ffprobe and the JVM need a writable /tmp while the root file system is read-only. */
    private List<V1Volume> volumes() {
        List<V1Volume> v = new ArrayList<>();
        v.add(new V1Volume().name("tmp").emptyDir(new V1EmptyDirVolumeSource()));
        s.mediaClaim()
                .ifPresent(c -> v.add(new V1Volume()
                        .name("media")
                        .persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource().claimName(c))));
        return v;
    }

    /** The media volume at the same path as in the coordinator: work items carry absolute paths. */
    private List<V1VolumeMount> mounts() {
        List<V1VolumeMount> m = new ArrayList<>();
        m.add(new V1VolumeMount().name("tmp").mountPath("/tmp"));
        s.mediaClaim().ifPresent(c -> m.add(new V1VolumeMount().name("media").mountPath(s.mediaPath())));
        return m;
    }
}
