package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Taint;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The node lifecycle controller: a node whose kubelet has not renewed its heartbeat for the
 * grace period gets every condition Unknown (NodeStatusUnknown), the taints
 * node.kubernetes.io/unreachable NoSchedule and NoExecute, and its pods Ready=False. When the
 * kubelet posts Ready again, the taints go.
 */
final class NodeLifecycleController {
    private final ObjectStore store;
    private final Map<String, Kubelet> kubelets;
    private final Consumer<String> log;
    private volatile Duration gracePeriod = Duration.ofMillis(200);

    NodeLifecycleController(ObjectStore store, Map<String, Kubelet> kubelets, Consumer<String> log) {
        this.store = store;
        this.kubelets = kubelets;
        this.log = log;
    }

    /** node-monitor-grace-period: Kubernetes 40 s up to 1.31, 50 s from 1.32. */
    void gracePeriod(Duration gracePeriod) {
        this.gracePeriod = gracePeriod;
    }

    void reconcile() {
        long now = System.nanoTime();
        for (V1Node node : store.<V1Node>peekAll(ResourceKind.NODE)) {
            Kubelet kubelet = kubelets.get(node.getMetadata().getName());
            if (kubelet == null) {
                continue;
            }
            boolean silent = now - kubelet.heartbeatNanos() > gracePeriod.toNanos();
            boolean unreachable = Taints.has(node, Taints.UNREACHABLE, "NoExecute");
            if (silent && !unreachable) {
                log.accept("node-lifecycle: " + node.getMetadata().getName() + " Ready=Unknown, tainted unreachable");
                markUnreachable(node.getMetadata().getName());
            } else if (!silent && unreachable && Taints.ready(node)) {
                log.accept(
                        "node-lifecycle: " + node.getMetadata().getName() + " Ready again, unreachable taints removed");
                update(
                        node.getMetadata().getName(),
                        n -> n.getSpec().getTaints().removeIf(t -> Taints.UNREACHABLE.equals(t.getKey())));
            }
        }
    }

    private void markUnreachable(String name) {
        update(name, n -> {
            n.getStatus()
                    .getConditions()
                    .forEach(c -> c.status("Unknown")
                            .reason("NodeStatusUnknown")
                            .message("Kubelet stopped posting node status.")
                            .lastTransitionTime(Times.now()));
            // Only NoExecute taints carry timeAdded.
            n.getSpec().addTaintsItem(new V1Taint().key(Taints.UNREACHABLE).effect("NoSchedule"));
            n.getSpec()
                    .addTaintsItem(new V1Taint()
                            .key(Taints.UNREACHABLE)
                            .effect("NoExecute")
                            .timeAdded(Times.now()));
        });
        for (V1Pod p : store.<V1Pod>peekAll(ResourceKind.POD)) {
            if (name.equals(p.getSpec().getNodeName()) && !Pods.terminal(p)) {
                store.update(Pods.key(p), (V1Pod q) -> Pods.setCondition(q, "Ready", "False", null, null));
            }
        }
    }

    private void update(String name, Consumer<V1Node> change) {
        store.update(new ObjectKey(ResourceKind.NODE, "", name), change);
    }
}
