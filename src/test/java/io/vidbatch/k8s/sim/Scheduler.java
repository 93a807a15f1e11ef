package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1Taint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Binds pending pods to nodes with the default scheduler's filters (cordon, taints, nodeSelector,
 * pod count, cpu requests), preferring the least allocated node; a pod that fits nowhere gets
 * PodScheduled=False/Unschedulable with the scheduler's own wording, and is retried every pass.
 */
final class Scheduler {
    private final ObjectStore store;

    Scheduler(ObjectStore store) {
        this.store = store;
    }

    void reconcile() {
        List<V1Node> nodes = store.peekAll(ResourceKind.NODE);
        Map<String, Long> cpuUsed = new HashMap<>();
        Map<String, Integer> podsOn = new HashMap<>();
        List<V1Pod> pending = new ArrayList<>();
        for (V1Pod p : store.<V1Pod>peekAll(ResourceKind.POD)) {
            String node = p.getSpec().getNodeName();
            if (node != null) {
                if (!Pods.terminal(p)) {
                    cpuUsed.merge(node, Cpu.requested(p), Long::sum);
                    podsOn.merge(node, 1, Integer::sum);
                }
            } else if (!Pods.terminal(p) && !Pods.deleting(p)) {
                pending.add(p);
            }
        }
        pending.sort(Comparator.comparing((V1Pod p) -> p.getMetadata().getCreationTimestamp())
                .thenComparing(p -> Long.parseLong(p.getMetadata().getResourceVersion())));
        for (V1Pod pod : pending) {
            long request = Cpu.requested(pod);
            Map<String, Integer> reasons = new TreeMap<>();
            V1Node best = null;
            long bestFree = -1;
            for (V1Node n : nodes) {
                String name = n.getMetadata().getName();
                long free = Cpu.millis(n.getStatus().getAllocatable()) - cpuUsed.getOrDefault(name, 0L);
                String reason = unfit(pod, n, request, free, podsOn.getOrDefault(name, 0));
                if (reason != null) {
                    reasons.merge(reason, 1, Integer::sum);
                } else if (free > bestFree) {
                    best = n;
                    bestFree = free;
                }
            }
            if (best != null) {
                String name = best.getMetadata().getName();
                cpuUsed.merge(name, request, Long::sum);
                podsOn.merge(name, 1, Integer::sum);
                store.update(Pods.key(pod), (V1Pod p) -> {
                    p.getSpec().setNodeName(name);
                    Pods.setCondition(p, "PodScheduled", "True", null, null);
                });
            } else {
                markUnschedulable(pod, message(nodes.size(), reasons));
            }
        }
    }

    private void markUnschedulable(V1Pod pod, String message) {
        V1PodCondition c = Pods.condition(pod, "PodScheduled");
        if (c == null || !"False".equals(c.getStatus()) || !Objects.equals(message, c.getMessage())) {
            store.update(
                    Pods.key(pod),
                    (V1Pod p) -> Pods.setCondition(p, "PodScheduled", "False", "Unschedulable", message));
        }
    }

    /** The first filter a node fails, in the default plugin order; null if the pod fits. */
    private static String unfit(V1Pod pod, V1Node node, long request, long free, int pods) {
        if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return "node(s) were unschedulable";
        }
        if (node.getSpec().getTaints() != null) {
            for (V1Taint t : node.getSpec().getTaints()) {
                boolean blocks = "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());
                if (blocks && !Taints.tolerated(t, pod.getSpec().getTolerations())) {
                    return "node(s) had untolerated taint {" + t.getKey() + ": " + Objects.toString(t.getValue(), "")
                            + "}";
                }
            }
        }
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null) {
            Map<String, String> labels = node.getMetadata().getLabels() == null
                    ? Map.of()
                    : node.getMetadata().getLabels();
            if (selector.entrySet().stream().anyMatch(e -> !e.getValue().equals(labels.get(e.getKey())))) {
                return "node(s) didn't match Pod's node affinity/selector";
            }
        }
        if (node.getStatus().getAllocatable().get("pods") != null
                && pods
                        >= node.getStatus()
                                .getAllocatable()
                                .get("pods")
                                .getNumber()
                                .intValue()) {
            return "Too many pods";
        }
        if (request > free) {
            return "Insufficient cpu";
        }
        return null;
    }

    /** "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod." */
    static String message(int nodeCount, Map<String, Integer> reasons) {
        if (nodeCount == 0) {
            return "no nodes available to schedule pods";
        }
        Map<String, Integer> preemption = new TreeMap<>();
        reasons.forEach((reason, n) -> preemption.merge(
                reason.equals("Insufficient cpu") || reason.equals("Too many pods")
                        ? "No preemption victims found for incoming pod"
                        : "Preemption is not helpful for scheduling",
                n,
                Integer::sum));
        return "0/" + nodeCount + " nodes are available: " + counted(reasons) + ". preemption: 0/" + nodeCount
                + " nodes are available: " + counted(preemption) + ".";
    }

    private static String counted(Map<String, Integer> reasons) {
        List<String> parts = new ArrayList<>();
        reasons.forEach((reason, n) -> parts.add(n + " " + reason));
        parts.sort(null);
        return String.join(", ", parts);
    }
}
