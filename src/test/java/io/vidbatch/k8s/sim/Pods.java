package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;

import java.util.ArrayList;
import java.util.List;

/** Small questions and edits on pods shared by the simulated controllers. */
final class Pods {
    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";

    private Pods() {}

    static ObjectKey key(V1Pod p) {
        return new ObjectKey(
                ResourceKind.POD,
                p.getMetadata().getNamespace(),
                p.getMetadata().getName());
    }

    static String phase(V1Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    static boolean terminal(V1Pod p) {
        String phase = phase(p);
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    static boolean deleting(V1Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null;
    }

    static String controllerUid(V1Pod p) {
        if (p.getMetadata().getOwnerReferences() != null) {
            for (V1OwnerReference r : p.getMetadata().getOwnerReferences()) {
                if (Boolean.TRUE.equals(r.getController())) {
                    return r.getUid();
                }
            }
        }
        return null;
    }

    static boolean hasFinalizer(V1Pod p, String f) {
        return p.getMetadata().getFinalizers() != null
                && p.getMetadata().getFinalizers().contains(f);
    }

    static V1PodCondition condition(V1Pod p, String type) {
        if (p.getStatus() != null && p.getStatus().getConditions() != null) {
            for (V1PodCondition c : p.getStatus().getConditions()) {
                if (type.equals(c.getType())) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Sets a condition, keeping lastTransitionTime when the status does not change. */
    static void setCondition(V1Pod p, String type, String status, String reason, String message) {
        if (p.getStatus() == null) {
            p.setStatus(new V1PodStatus());
        }
        List<V1PodCondition> list = p.getStatus().getConditions() == null
                ? new ArrayList<>()
                : new ArrayList<>(p.getStatus().getConditions());
        V1PodCondition existing = null;
        for (V1PodCondition c : list) {
            if (type.equals(c.getType())) {
                existing = c;
            }
        }
        if (existing == null) {
            existing = new V1PodCondition().type(type);
            list.add(existing);
        }
        if (!status.equals(existing.getStatus())) {
            existing.setLastTransitionTime(Times.now());
        }
        existing.status(status).reason(reason).message(message);
        existing.setLastProbeTime(null);
        p.getStatus().setConditions(list);
    }
}
