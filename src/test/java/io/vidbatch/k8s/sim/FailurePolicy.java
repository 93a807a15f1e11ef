package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodFailurePolicy;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnExitCodesRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnPodConditionsPattern;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;

import java.util.ArrayList;
import java.util.List;

/** spec.podFailurePolicy applied to one failed pod: the first matching rule decides; none means Count. */
final class FailurePolicy {
    record Decision(String action, String message) {}

    static final Decision COUNT = new Decision("Count", null);

    private FailurePolicy() {}

    static Decision evaluate(V1PodFailurePolicy policy, V1Pod pod) {
        if (policy == null || policy.getRules() == null) {
            return COUNT;
        }
        String podRef =
                pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        List<V1PodFailurePolicyRule> rules = policy.getRules();
        for (int i = 0; i < rules.size(); i++) {
            V1PodFailurePolicyRule rule = rules.get(i);
            String action = rule.getAction();
            if (rule.getOnExitCodes() != null) {
                V1ContainerStatus hit = exitCodeMatch(rule.getOnExitCodes(), pod);
                if (hit != null) {
                    return new Decision(
                            action,
                            "Container " + hit.getName() + " for pod " + podRef + " failed with exit code "
                                    + hit.getState().getTerminated().getExitCode() + " matching " + action
                                    + " rule at index " + i);
                }
            }
            if (rule.getOnPodConditions() != null) {
                for (V1PodFailurePolicyOnPodConditionsPattern pattern : rule.getOnPodConditions()) {
                    V1PodCondition c = Pods.condition(pod, pattern.getType());
                    String wanted = pattern.getStatus() == null ? "True" : pattern.getStatus();
                    if (c != null && wanted.equals(c.getStatus())) {
                        return new Decision(
                                action,
                                "Pod " + podRef + " has condition " + pattern.getType() + " matching " + action
                                        + " rule at index " + i);
                    }
                }
            }
        }
        return COUNT;
    }

    // Exit code 0 never matches: a rule is about how a container failed.
    private static V1ContainerStatus exitCodeMatch(V1PodFailurePolicyOnExitCodesRequirement req, V1Pod pod) {
        List<V1ContainerStatus> statuses = new ArrayList<>();
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            statuses.addAll(pod.getStatus().getContainerStatuses());
        }
        for (V1ContainerStatus s : statuses) {
            if (req.getContainerName() != null && !req.getContainerName().equals(s.getName())) {
                continue;
            }
            if (s.getState() == null || s.getState().getTerminated() == null) {
                continue;
            }
            int code = s.getState().getTerminated().getExitCode();
            if (code == 0) {
                continue;
            }
            boolean listed = req.getValues().contains(code);
            if ("In".equals(req.getOperator()) == listed) {
                return s;
            }
        }
        return null;
    }
}
