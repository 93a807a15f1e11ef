package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnExitCodesRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * batch/v1 ValidateJob on a Job already defaulted as the apiserver defaults it before validating
 * (selector and template labels generated, restartPolicy Always if unset), so the errors name
 * what a client really sees: e.g. a name over 63 characters fails as the job-name label's value.
 */
final class JobValidation {
    private static final List<String> ACTIONS = List.of("Count", "FailIndex", "FailJob", "Ignore");
    private static final List<String> OPERATORS = List.of("In", "NotIn");

    private JobValidation() {}

    static FieldErrors validate(V1Job job) {
        FieldErrors errs = new FieldErrors();
        MetaValidation.objectMeta(job.getMetadata(), "metadata", errs);
        V1JobSpec spec = job.getSpec();
        generatedSelector(job, errs);
        nonNegative(spec.getParallelism(), "spec.parallelism", errs);
        nonNegative(spec.getCompletions(), "spec.completions", errs);
        nonNegative(spec.getActiveDeadlineSeconds(), "spec.activeDeadlineSeconds", errs);
        nonNegative(spec.getBackoffLimit(), "spec.backoffLimit", errs);
        nonNegative(spec.getTtlSecondsAfterFinished(), "spec.ttlSecondsAfterFinished", errs);
        Map<String, String> templateLabels = spec.getTemplate().getMetadata().getLabels();
        if (spec.getSelector() == null) {
            errs.required("spec.selector", "");
        } else if (!matches(spec.getSelector(), templateLabels)) {
            // Whether generated or manual, the selector must match the pods the Job will make.
            errs.invalid(
                    "spec.template.metadata.labels", templateLabels, "`selector` does not match template `labels`");
        }
        // ValidatePodTemplateSpec names these without "metadata".
        MetaValidation.labels(templateLabels, "spec.template.labels", errs);
        MetaValidation.annotations(
                spec.getTemplate().getMetadata().getAnnotations(), "spec.template.annotations", errs);
        PodSpecValidation.podSpec(spec.getTemplate().getSpec(), "spec.template.spec", errs);
        String restart = spec.getTemplate().getSpec().getRestartPolicy();
        if (!"OnFailure".equals(restart) && !"Never".equals(restart)) {
            errs.notSupported("spec.template.spec.restartPolicy", restart, List.of("OnFailure", "Never"));
        }
        if (spec.getPodFailurePolicy() != null) {
            if (!"Never".equals(restart)) {
                errs.invalid(
                        "spec.template.spec.restartPolicy",
                        restart,
                        "only \"Never\" is supported when podFailurePolicy is specified");
            }
            podFailurePolicy(spec, errs);
        }
        return errs;
    }

    /** Unless manualSelector is true, the selector and the template's job labels must be the generated ones. */
    private static void generatedSelector(V1Job job, FieldErrors errs) {
        V1JobSpec spec = job.getSpec();
        if (Boolean.TRUE.equals(spec.getManualSelector())) {
            return;
        }
        String uid = job.getMetadata().getUid();
        Map<String, String> labels = spec.getTemplate().getMetadata().getLabels();
        hasLabel(labels, "controller-uid", uid, errs);
        hasLabel(labels, Admission.CONTROLLER_UID, uid, errs);
        if (job.getMetadata().getName() != null) {
            hasLabel(labels, "job-name", job.getMetadata().getName(), errs);
            hasLabel(labels, Admission.JOB_NAME, job.getMetadata().getName(), errs);
        }
        V1LabelSelector s = spec.getSelector();
        boolean generated = s != null
                && Map.of(Admission.CONTROLLER_UID, uid).equals(s.getMatchLabels())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
        if (s != null && !generated) {
            errs.invalid("spec.selector", new FieldErrors.GoText(selectorText(s)), "`selector` not auto-generated");
        }
    }

    private static void hasLabel(Map<String, String> labels, String key, String expected, FieldErrors errs) {
        String path = "spec.template.metadata.labels[" + key + "]";
        String actual = labels.get(key);
        if (actual == null) {
            errs.required(path, "");
        } else if (!actual.equals(expected)) {
            errs.invalid(path, actual, "must be '" + expected + "'");
        }
    }

    private static void podFailurePolicy(V1JobSpec spec, FieldErrors errs) {
        Set<String> containers = spec.getTemplate().getSpec().getContainers().stream()
                .map(V1Container::getName)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        List<V1PodFailurePolicyRule> rules = spec.getPodFailurePolicy().getRules();
        for (int i = 0; rules != null && i < rules.size(); i++) {
            V1PodFailurePolicyRule rule = rules.get(i);
            String path = "spec.podFailurePolicy.rules[" + i + "]";
            if (rule.getAction() == null || rule.getAction().isEmpty()) {
                errs.required(path + ".action", "valid values: " + quoted(ACTIONS));
            } else if (!ACTIONS.contains(rule.getAction())) {
                errs.notSupported(path + ".action", rule.getAction(), ACTIONS);
            } else if (rule.getAction().equals("FailIndex") && !"Indexed".equals(spec.getCompletionMode())) {
                errs.invalid(
                        path + ".action", rule.getAction(), "The action is only allowed with Indexed completion mode");
            }
            boolean conditions = rule.getOnPodConditions() != null
                    && !rule.getOnPodConditions().isEmpty();
            if (rule.getOnExitCodes() == null && !conditions) {
                errs.invalid(path, "specifying one of OnExitCodes and OnPodConditions is required");
            } else if (rule.getOnExitCodes() != null && conditions) {
                errs.invalid(path, "specifying both OnExitCodes and OnPodConditions is not supported");
            }
            if (rule.getOnExitCodes() != null) {
                onExitCodes(rule.getOnExitCodes(), path + ".onExitCodes", containers, errs);
            }
        }
    }

    private static void onExitCodes(
            V1PodFailurePolicyOnExitCodesRequirement req, String path, Set<String> containers, FieldErrors errs) {
        if (req.getContainerName() != null && !containers.contains(req.getContainerName())) {
            errs.invalid(
                    path + ".containerName",
                    req.getContainerName(),
                    "must be one of the container or initContainer names in the pod template");
        }
        if (req.getOperator() == null || req.getOperator().isEmpty()) {
            errs.required(path + ".operator", "valid values: " + quoted(OPERATORS));
        } else if (!OPERATORS.contains(req.getOperator())) {
            errs.notSupported(path + ".operator", req.getOperator(), OPERATORS);
        }
        List<Integer> values = req.getValues();
        if (values == null || values.isEmpty()) {
            errs.invalid(path + ".values", new FieldErrors.GoText("[]int32{}"), "at least one value is required");
            return;
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            int v = values.get(i);
            if (!seen.add(v)) {
                errs.duplicate(path + ".values[" + i + "]", Integer.toString(v));
            } else if (i > 0 && values.get(i - 1) > v) {
                errs.invalid(path + ".values[" + i + "]", v, "must be ordered");
            }
            if ("In".equals(req.getOperator()) && v == 0) {
                errs.invalid(path + ".values[" + i + "]", v, "must not be 0 for the In operator");
            }
        }
    }

    private static boolean matches(V1LabelSelector s, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (s.getMatchLabels() != null
                && !s.getMatchLabels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(l.get(e.getKey())))) {
            return false;
        }
        List<V1LabelSelectorRequirement> exprs = s.getMatchExpressions() == null ? List.of() : s.getMatchExpressions();
        return exprs.stream().allMatch(r -> switch (r.getOperator()) {
            case "In" -> r.getValues() != null && r.getValues().contains(l.get(r.getKey()));
            case "NotIn" -> r.getValues() == null || !r.getValues().contains(l.get(r.getKey()));
            case "Exists" -> l.containsKey(r.getKey());
            case "DoesNotExist" -> !l.containsKey(r.getKey());
            default -> false;
        });
    }

    private static void nonNegative(Number value, String path, FieldErrors errs) {
        if (value != null && value.longValue() < 0) {
            errs.invalid(path, value, "must be greater than or equal to 0");
        }
    }

    // Go's %q of a []string: ["a" "b"].
    private static String quoted(List<String> values) {
        return values.stream().map(FieldErrors::quote).collect(Collectors.joining(" ", "[", "]"));
    }

    // The selector as its generated String() prints it into the message.
    private static String selectorText(V1LabelSelector s) {
        StringBuilder b = new StringBuilder("&LabelSelector{MatchLabels:map[string]string{");
        new TreeMap<>(s.getMatchLabels() == null ? Map.of() : s.getMatchLabels())
                .forEach((k, v) -> b.append(k).append(": ").append(v).append(','));
        return b.append("},MatchExpressions:[]LabelSelectorRequirement{},}").toString();
    }
}
