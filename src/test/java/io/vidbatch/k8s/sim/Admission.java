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
import java.util.Objects;
import java.util.UUID;

/**
 * What the apiserver does to a Job or Pod before storing it: the validation errors a real
 * cluster would answer with 422, and the defaults it fills in, so a client sees the same object
 * back that a cluster would give it.
 */
final class Admission {
    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";

    private Admission() {}

    static void admitJob(V1Job job) {
        V1ObjectMeta meta = job.getMetadata();
        String name = meta.getName() != null ? meta.getName() : Objects.requireNonNullElse(meta.getGenerateName(), "");
        V1JobSpec spec = job.getSpec();
        if (spec == null || spec.getTemplate() == null || spec.getTemplate().getSpec() == null) {
            FieldErrors errs = new FieldErrors();
            errs.required("spec.template.spec", "");
            errs.throwIfAny(ResourceKind.JOB, name);
        }
        V1PodSpec pod = spec.getTemplate().getSpec();
        if (meta.getUid() == null) {
            meta.setUid(UUID.randomUUID().toString());
        }
        // Defaulted before validation, as the apiserver does: an unset restartPolicy fails as "Always".
        if (pod.getRestartPolicy() == null) {
            pod.setRestartPolicy("Always");
        }
        generateSelector(job);
        JobValidation.validate(job).throwIfAny(ResourceKind.JOB, name);

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
        defaultPodSpec(pod);
        job.setStatus(new V1JobStatus());
    }

    /**
     * The Job strategy's generateSelector: unless manualSelector is true, the template gets the
     * job-name and controller-uid labels (a value the client set is kept, to fail validation) and
     * the selector gets controller-uid.
     */
    private static void generateSelector(V1Job job) {
        V1JobSpec spec = job.getSpec();
        if (Boolean.TRUE.equals(spec.getManualSelector())) {
            return;
        }
        V1ObjectMeta meta = job.getMetadata();
        V1ObjectMeta templateMeta = spec.getTemplate().getMetadata();
        if (templateMeta == null) {
            templateMeta = new V1ObjectMeta();
            spec.getTemplate().setMetadata(templateMeta);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (templateMeta.getLabels() != null) {
            labels.putAll(templateMeta.getLabels());
        }
        if (meta.getName() != null) {
            labels.putIfAbsent("job-name", meta.getName());
            labels.putIfAbsent(JOB_NAME, meta.getName());
        }
        labels.putIfAbsent("controller-uid", meta.getUid());
        labels.putIfAbsent(CONTROLLER_UID, meta.getUid());
        templateMeta.setLabels(labels);
        if (spec.getSelector() == null) {
            spec.setSelector(new V1LabelSelector());
        }
        Map<String, String> match = new LinkedHashMap<>();
        if (spec.getSelector().getMatchLabels() != null) {
            match.putAll(spec.getSelector().getMatchLabels());
        }
        match.putIfAbsent(CONTROLLER_UID, meta.getUid());
        spec.getSelector().setMatchLabels(match);
    }

    static void admitPod(V1Pod pod) {
        V1ObjectMeta meta = pod.getMetadata();
        String name = meta.getName() != null ? meta.getName() : Objects.requireNonNullElse(meta.getGenerateName(), "");
        FieldErrors errs = new FieldErrors();
        if (pod.getSpec() == null) {
            errs.required("spec", "");
            errs.throwIfAny(ResourceKind.POD, name);
        }
        if (pod.getSpec().getRestartPolicy() == null) {
            pod.getSpec().setRestartPolicy("Always");
        }
        MetaValidation.objectMeta(meta, "metadata", errs);
        PodSpecValidation.podSpec(pod.getSpec(), "spec", errs);
        errs.throwIfAny(ResourceKind.POD, name);
        defaultPodSpec(pod.getSpec());
        addDefaultTolerations(pod.getSpec());
        pod.setStatus(new V1PodStatus().phase("Pending").qosClass(qosClass(pod.getSpec())));
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
                boolean latest = !c.getImage()
                                .substring(c.getImage().lastIndexOf('/') + 1)
                                .contains(":")
                        || c.getImage().endsWith(":latest");
                c.setImagePullPolicy(latest ? "Always" : "IfNotPresent");
            }
        }
    }

    // The DefaultTolerationSeconds admission plugin gives every pod five minutes on a lost node.
    private static void addDefaultTolerations(V1PodSpec spec) {
        List<V1Toleration> tolerations =
                new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
        for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            if (tolerations.stream().noneMatch(t -> key.equals(t.getKey()) && "NoExecute".equals(t.getEffect()))) {
                tolerations.add(new V1Toleration()
                        .key(key)
                        .operator("Exists")
                        .effect("NoExecute")
                        .tolerationSeconds(300L));
            }
        }
        spec.setTolerations(tolerations);
    }

    static String qosClass(V1PodSpec spec) {
        boolean any = spec.getContainers().stream()
                .anyMatch(c -> c.getResources() != null
                        && ((c.getResources().getRequests() != null
                                        && !c.getResources().getRequests().isEmpty())
                                || (c.getResources().getLimits() != null
                                        && !c.getResources().getLimits().isEmpty())));
        return any ? "Burstable" : "BestEffort";
    }
}
