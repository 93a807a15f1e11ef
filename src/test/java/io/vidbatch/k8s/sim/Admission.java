package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the apiserver does to a Job or Pod before storing it: the validation errors a real
 * cluster would answer with 422, and the defaults it fills in, so a client sees the same object
 * back that a cluster would give it.
 */
final class Admission {
    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    private Admission() {
    }

    static void admitJob(V1Job job) {
        V1ObjectMeta meta = job.getMetadata();
        String name = meta.getName() != null ? meta.getName() : meta.getGenerateName();
        if (name == null || name.isEmpty()) {
            throw ApiError.invalid(ResourceKind.JOB, "", "metadata.name: Required value: name or generateName is required");
        }
        if (meta.getName() != null && (!meta.getName().matches(DNS_SUBDOMAIN) || meta.getName().length() > 63)) {
            // The name becomes the job-name label value on the pods, hence 63 rather than 253.
            throw ApiError.invalid(ResourceKind.JOB, name, "metadata.name: Invalid value: \"" + name
                    + "\": a lowercase RFC 1123 subdomain of at most 63 characters is required");
        }
        V1JobSpec spec = job.getSpec();
        if (spec == null || spec.getTemplate() == null || spec.getTemplate().getSpec() == null) {
            throw ApiError.invalid(ResourceKind.JOB, name, "spec.template.spec: Required value");
        }
        V1PodSpec pod = spec.getTemplate().getSpec();
        String restart = pod.getRestartPolicy();
        if (!"Never".equals(restart) && !"OnFailure".equals(restart)) {
            throw ApiError.invalid(ResourceKind.JOB, name,
                    "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
        }
        if (spec.getPodFailurePolicy() != null && !"Never".equals(restart)) {
            throw ApiError.invalid(ResourceKind.JOB, name, "spec.podFailurePolicy: Invalid value: "
                    + "only \"Never\" is supported for spec.template.spec.restartPolicy when podFailurePolicy is specified");
        }
        validateContainers(ResourceKind.JOB, name, pod, "spec.template.spec");

        if (meta.getUid() == null) {
            meta.setUid(UUID.randomUUID().toString());
        }
        if (spec.getParallelism() == null) {
            spec.setParallelism(1);
            if (spec.getCompletions() == null) {
                spec.setCompletions(1);
            }
        }
        if (spec.getBackoffLimit() == null) {
            spec.setBackoffLimit(6);
        }
        if (spec.getCompletionMode() == null) {
            spec.setCompletionMode("NonIndexed");
        }
        if (spec.getSuspend() == null) {
            spec.setSuspend(false);
        }
        if (spec.getPodReplacementPolicy() == null) {
            spec.setPodReplacementPolicy(spec.getPodFailurePolicy() != null ? "Failed" : "TerminatingOrFailed");
        }
        if (spec.getSelector() == null) {
            spec.setSelector(new V1LabelSelector().matchLabels(Map.of(CONTROLLER_UID, meta.getUid())));
        }
        V1ObjectMeta templateMeta = spec.getTemplate().getMetadata();
        if (templateMeta == null) {
            templateMeta = new V1ObjectMeta();
            spec.getTemplate().setMetadata(templateMeta);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (templateMeta.getLabels() != null) {
            labels.putAll(templateMeta.getLabels());
        }
        labels.put(CONTROLLER_UID, meta.getUid());
        labels.put("controller-uid", meta.getUid());
        if (meta.getName() != null) {
            labels.put(JOB_NAME, meta.getName());
            labels.put("job-name", meta.getName());
        }
        templateMeta.setLabels(labels);
        defaultPodSpec(pod);
        job.setStatus(new V1JobStatus());
    }

    static void admitPod(V1Pod pod) {
        V1ObjectMeta meta = pod.getMetadata();
        String name = meta.getName() != null ? meta.getName() : meta.getGenerateName();
        if (name == null || name.isEmpty()) {
            throw ApiError.invalid(ResourceKind.POD, "", "metadata.name: Required value: name or generateName is required");
        }
        if (pod.getSpec() == null) {
            throw ApiError.invalid(ResourceKind.POD, name, "spec: Required value");
        }
        validateContainers(ResourceKind.POD, name, pod.getSpec(), "spec");
        if (pod.getSpec().getRestartPolicy() == null) {
            pod.getSpec().setRestartPolicy("Always");
        }
        defaultPodSpec(pod.getSpec());
        addDefaultTolerations(pod.getSpec());
        pod.setStatus(new V1PodStatus().phase("Pending").qosClass(qosClass(pod.getSpec())));
    }

    private static void validateContainers(ResourceKind kind, String name, V1PodSpec spec, String path) {
        if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
            throw ApiError.invalid(kind, name, path + ".containers: Required value");
        }
        for (int i = 0; i < spec.getContainers().size(); i++) {
            V1Container c = spec.getContainers().get(i);
            if (c.getName() == null || c.getName().isEmpty()) {
                throw ApiError.invalid(kind, name, path + ".containers[" + i + "].name: Required value");
            }
            if (c.getImage() == null || c.getImage().isEmpty()) {
                throw ApiError.invalid(kind, name, path + ".containers[" + i + "].image: Required value");
            }
        }
    }

    private static void defaultPodSpec(V1PodSpec spec) {
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds(30L);
        }
        if (spec.getDnsPolicy() == null) {
            spec.setDnsPolicy("ClusterFirst");
        }
        if (spec.getSchedulerName() == null) {
            spec.setSchedulerName("default-scheduler");
        }
        for (V1Container c : spec.getContainers()) {
            if (c.getTerminationMessagePath() == null) {
                c.setTerminationMessagePath("/dev/termination-log");
            }
            if (c.getTerminationMessagePolicy() == null) {
                c.setTerminationMessagePolicy("File");
            }
            if (c.getImagePullPolicy() == null) {
                boolean latest = !c.getImage().substring(c.getImage().lastIndexOf('/') + 1).contains(":")
                        || c.getImage().endsWith(":latest");
                c.setImagePullPolicy(latest ? "Always" : "IfNotPresent");
            }
        }
    }

    // The DefaultTolerationSeconds admission plugin gives every pod five minutes on a lost node.
    private static void addDefaultTolerations(V1PodSpec spec) {
        List<V1Toleration> tolerations = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
        for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            if (tolerations.stream().noneMatch(t -> key.equals(t.getKey()) && "NoExecute".equals(t.getEffect()))) {
                tolerations.add(new V1Toleration().key(key).operator("Exists").effect("NoExecute").tolerationSeconds(300L));
            }
        }
        spec.setTolerations(tolerations);
    }

    static String qosClass(V1PodSpec spec) {
        boolean any = spec.getContainers().stream().anyMatch(c -> c.getResources() != null
                && ((c.getResources().getRequests() != null && !c.getResources().getRequests().isEmpty())
                        || (c.getResources().getLimits() != null && !c.getResources().getLimits().isEmpty())));
        return any ? "Burstable" : "BestEffort";
    }
}
