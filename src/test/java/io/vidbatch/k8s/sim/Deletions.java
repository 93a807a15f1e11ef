package io.vidbatch.k8s.sim;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusDetails;

import java.util.ArrayList;

/**
 * Deletion as the apiserver does it: graceful for running pods, and for Jobs the three propagation
 * policies, whose work on the pods is left to the {@link GarbageCollector} as on a real cluster.
 * batch/v1 Jobs default to Orphan when the client names no policy, so a client that forgets
 * propagationPolicy leaks its pods here as it would for real.
 */
final class Deletions {
    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";
    static final String JOB_ORPHAN_WARNING = "299 - \"child pods are preserved by default when jobs are deleted; "
            + "set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning\"";

    private final ObjectStore store;

    Deletions(ObjectStore store) {
        this.store = store;
    }

    /** The body to answer a DELETE with: the object while it is still there, else a Success Status. */
    Object delete(ObjectKey key, String propagation, Long gracePeriodSeconds) {
        KubernetesObject current = store.peek(key);
        if (current == null) {
            throw ApiError.notFound(key.kind(), key.name());
        }
        switch (key.kind()) {
            case POD:
                return deletePod(key, gracePeriodSeconds);
            case JOB:
                return deleteWithDependents(key, propagation == null ? "Orphan" : propagation);
            default:
                return success(key, store.remove(key));
        }
    }

    /** Starts a pod's graceful deletion; unbound or finished pods go at once (pods answer with the object). */
    V1Pod deletePod(ObjectKey key, Long gracePeriodSeconds) {
        V1Pod before = store.peek(key);
        if (before == null) {
            throw ApiError.notFound(key.kind(), key.name());
        }
        long grace = gracePeriodSeconds != null
                ? gracePeriodSeconds
                : before.getSpec().getTerminationGracePeriodSeconds() == null
                        ? 30
                        : before.getSpec().getTerminationGracePeriodSeconds();
        String phase = before.getStatus() == null ? null : before.getStatus().getPhase();
        if (before.getSpec().getNodeName() == null || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            grace = 0;
        }
        long g = grace;
        V1Pod after = store.update(key, (V1Pod p) -> markDeleting(p.getMetadata(), g));
        if (after != null) {
            return after;
        }
        V1Pod gone = Json.copy(before); // removed at once: answer with its last state, marked deleted
        markDeleting(gone.getMetadata(), g);
        return gone;
    }

    private Object deleteWithDependents(ObjectKey key, String propagation) {
        String finalizer = switch (propagation) {
            case "Background" -> null;
            case "Foreground" -> FOREGROUND;
            case "Orphan" -> ORPHAN;
            default ->
                throw new ApiError(
                        400,
                        "DeleteOptions.propagationPolicy: Unsupported value: \"" + propagation
                                + "\": supported values: \"Orphan\", \"Background\", \"Foreground\"");
        };
        if (finalizer == null) {
            return success(key, store.remove(key)); // the garbage collector finds the pods later
        }
        KubernetesObject marked = store.update(key, o -> {
            markDeleting(o.getMetadata(), 0);
            addFinalizer(o.getMetadata(), finalizer);
        });
        if (marked == null) {
            return success(key, null);
        }
        // With nothing to wait for or orphan, the collector's only step is to drop the finalizer:
        // done here, so a server without controllers (FakeApiServer alone) still completes the delete.
        if (GarbageCollector.dependents(store, marked).isEmpty()) {
            store.update(key, o -> o.getMetadata().getFinalizers().remove(finalizer));
        }
        return marked;
    }

    private static void markDeleting(V1ObjectMeta meta, long grace) {
        if (meta.getDeletionTimestamp() == null) {
            meta.setDeletionTimestamp(Times.now().plusSeconds(grace));
            meta.setDeletionGracePeriodSeconds(grace);
        } else if (meta.getDeletionGracePeriodSeconds() == null || grace < meta.getDeletionGracePeriodSeconds()) {
            meta.setDeletionGracePeriodSeconds(grace); // a second delete may only shorten the grace
        }
    }

    private static void addFinalizer(V1ObjectMeta meta, String finalizer) {
        if (meta.getFinalizers() == null) {
            meta.setFinalizers(new ArrayList<>());
        }
        if (!meta.getFinalizers().contains(finalizer)) {
            meta.getFinalizers().add(finalizer);
        }
    }

    private static V1Status success(ObjectKey key, KubernetesObject removed) {
        return new V1Status()
                .apiVersion("v1")
                .kind("Status")
                .metadata(new V1ListMeta())
                .status("Success")
                .details(new V1StatusDetails()
                        .name(key.name())
                        .group(key.kind().group)
                        .kind(key.kind().plural)
                        .uid(removed == null ? null : removed.getMetadata().getUid()));
    }
}
