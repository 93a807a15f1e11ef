package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1Taint;
import io.kubernetes.client.openapi.models.V1Toleration;

import java.util.List;
import java.util.Objects;

/** Node taints and pod tolerations, matched as the scheduler and the taint eviction controller match them. */
final class Taints {
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

    private Taints() {}

    static boolean tolerated(V1Taint taint, List<V1Toleration> tolerations) {
        return tolerations != null && tolerations.stream().anyMatch(t -> tolerates(t, taint));
    }

    static boolean tolerates(V1Toleration t, V1Taint taint) {
        boolean effect = t.getEffect() == null
                || t.getEffect().isEmpty()
                || t.getEffect().equals(taint.getEffect());
        boolean exists = "Exists".equals(t.getOperator());
        boolean key = (exists && (t.getKey() == null || t.getKey().isEmpty()))
                || taint.getKey().equals(t.getKey());
        boolean value =
                exists || Objects.equals(Objects.toString(t.getValue(), ""), Objects.toString(taint.getValue(), ""));
        return effect && key && value;
    }

    static List<V1Taint> of(V1Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of()
                : node.getSpec().getTaints();
    }

    static boolean has(V1Node node, String key, String effect) {
        return of(node).stream().anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
    }

    static boolean ready(V1Node node) {
        List<V1NodeCondition> conditions =
                node.getStatus() == null ? null : node.getStatus().getConditions();
        return conditions != null
                && conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
