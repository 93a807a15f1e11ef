package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The pod garbage collector, for the two cases where it stands in for a kubelet that will never
 * finish a pod: a pod bound to a node that no longer exists (after a quarantine, in case the node
 * is only being re-registered), and a terminating pod on a node that is not Ready and carries the
 * node.kubernetes.io/out-of-service taint. Either is marked Failed (the first also with
 * DisruptionTarget=True, DeletionByPodGC) and force-deleted.
 */
final class PodGarbageCollector {
    private final ObjectStore store;
    private final Deletions deletions;
    private final Consumer<String> log;
    /** Per pod uid: when its node was first found missing (System.nanoTime). */
    private final Map<String, Long> orphanedSince = new HashMap<>();

    private volatile Duration quarantine = Duration.ofMillis(100);

    PodGarbageCollector(ObjectStore store, Deletions deletions, Consumer<String> log) {
        this.store = store;
        this.deletions = deletions;
        this.log = log;
    }

    /** How long a pod's node must stay missing before its pods go: Kubernetes 40 s. */
    void quarantine(Duration quarantine) {
        this.quarantine = quarantine;
    }

    void reconcile() {
        Map<String, V1Node> nodes = new HashMap<>();
        store.<V1Node>peekAll(ResourceKind.NODE)
                .forEach(n -> nodes.put(n.getMetadata().getName(), n));
        Set<String> orphaned = new HashSet<>();
        long now = System.nanoTime();
        for (V1Pod pod : store.<V1Pod>peekAll(ResourceKind.POD)) {
            String nodeName = pod.getSpec().getNodeName();
            if (nodeName == null || forceDeleted(pod)) {
                continue;
            }
            V1Node node = nodes.get(nodeName);
            if (node == null) {
                String uid = pod.getMetadata().getUid();
                orphaned.add(uid);
                if (now - orphanedSince.computeIfAbsent(uid, k -> now) >= quarantine.toNanos()) {
                    failAndForceDelete(pod, true);
                }
            } else if (Pods.deleting(pod)
                    && !Taints.ready(node)
                    && Taints.has(node, Taints.OUT_OF_SERVICE, "NoExecute")) {
                failAndForceDelete(pod, false);
            }
        }
        orphanedSince.keySet().retainAll(orphaned);
    }

    private void failAndForceDelete(V1Pod pod, boolean nodeGone) {
        log.accept("pod-gc: force-deleting pod " + pod.getMetadata().getName()
                + (nodeGone ? " (node gone)" : " (node out of service)"));
        if (!Pods.terminal(pod)) {
            store.update(Pods.key(pod), (V1Pod p) -> {
                p.getStatus().setPhase("Failed");
                if (nodeGone) {
                    Pods.setCondition(p, "DisruptionTarget", "True", "DeletionByPodGC", "PodGC: node no longer exists");
                }
            });
        }
        deletions.deletePod(Pods.key(pod), 0L);
    }

    // A finalizer (the Job's tracking one) may keep a force-deleted pod a moment longer: nothing more to do.
    private static boolean forceDeleted(V1Pod pod) {
        return Pods.deleting(pod) && Long.valueOf(0).equals(pod.getMetadata().getDeletionGracePeriodSeconds());
    }
}
