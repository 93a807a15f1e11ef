package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Taint;
import io.kubernetes.client.openapi.models.V1Toleration;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The taint eviction controller (the "taint manager"): a pod on a node with a NoExecute taint it
 * does not tolerate is evicted at once; one it tolerates with tolerationSeconds, that long after
 * the controller first saw it so (the smallest tolerationSeconds of the matching tolerations);
 * without tolerationSeconds, never. Eviction is DisruptionTarget=True (DeletionByTaintManager) and
 * a graceful delete, which only the node's kubelet can complete.
 */
final class TaintEvictionController {
    private static final long FOREVER = -1;

    private final ObjectStore store;
    private final Deletions deletions;
    private final EventRecorder events;
    private final Consumer<String> log;
    /** Per pod uid: when this controller first saw it on a NoExecute-tainted node (System.nanoTime). */
    private final Map<String, Long> seenSince = new HashMap<>();

    TaintEvictionController(ObjectStore store, Deletions deletions, Consumer<String> log) {
        this.store = store;
        this.deletions = deletions;
        this.log = log;
        this.events = new EventRecorder(store, "taint-eviction-controller");
    }

    void reconcile() {
        Map<String, List<V1Taint>> noExecute = new HashMap<>();
        for (V1Node n : store.<V1Node>peekAll(ResourceKind.NODE)) {
            noExecute.put(
                    n.getMetadata().getName(),
                    Taints.of(n).stream()
                            .filter(t -> "NoExecute".equals(t.getEffect()))
                            .toList());
        }
        Set<String> watched = new HashSet<>();
        long now = System.nanoTime();
        for (V1Pod pod : store.<V1Pod>peekAll(ResourceKind.POD)) {
            List<V1Taint> taints = noExecute.getOrDefault(pod.getSpec().getNodeName(), List.of());
            if (taints.isEmpty() || Pods.deleting(pod)) {
                continue;
            }
            String uid = pod.getMetadata().getUid();
            watched.add(uid);
            long since = seenSince.computeIfAbsent(uid, k -> now);
            long toleration = tolerationNanos(taints, pod.getSpec().getTolerations());
            if (toleration != FOREVER && now - since >= toleration) {
                evict(pod);
            }
        }
        seenSince.keySet().retainAll(watched);
    }

    /** How long the pod may stay: 0 if a taint is not tolerated, FOREVER if no matching toleration has seconds. */
    private static long tolerationNanos(List<V1Taint> taints, List<V1Toleration> tolerations) {
        long min = FOREVER;
        for (V1Taint taint : taints) {
            if (!Taints.tolerated(taint, tolerations)) {
                return 0;
            }
            for (V1Toleration t : tolerations) {
                if (Taints.tolerates(t, taint) && t.getTolerationSeconds() != null) {
                    long nanos = Math.max(0, t.getTolerationSeconds()) * 1_000_000_000L;
                    min = min == FOREVER ? nanos : Math.min(min, nanos);
                }
            }
        }
        return min;
    }

    private void evict(V1Pod pod) {
        log.accept("taint-eviction: evicting pod " + pod.getMetadata().getName() + " from "
                + pod.getSpec().getNodeName());
        events.normal(
                pod,
                "TaintManagerEviction",
                "Marking for deletion Pod " + pod.getMetadata().getNamespace() + "/"
                        + pod.getMetadata().getName());
        store.update(
                Pods.key(pod),
                (V1Pod p) -> Pods.setCondition(
                        p,
                        "DisruptionTarget",
                        "True",
                        "DeletionByTaintManager",
                        "Taint manager: deleting due to NoExecute taint"));
        deletions.deletePod(Pods.key(pod), null);
    }
}
