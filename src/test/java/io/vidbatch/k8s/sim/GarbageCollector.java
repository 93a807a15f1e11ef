package io.vidbatch.k8s.sim;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-controller-manager's garbage collector, for pods owned by Jobs. It works from its own queue,
 * after the DELETE has answered, never inside it: with Background the Job is gone at once and its
 * pods are deleted (gracefully) later, so a same-named Job created right away runs beside them for
 * a while; with Foreground the Job waits, deletionTimestamp set and finalizer foregroundDeletion,
 * until every pod with blockOwnerDeletion is gone; with Orphan the pods lose their
 * ownerReference and the Job goes. Each step waits a configurable delay after it became possible,
 * standing for the collector's lag.
 */
final class GarbageCollector {
    private final ObjectStore store;
    private final Deletions deletions;
    /** When each step (keyed by the uid of the pod or owner it is about) first became possible. */
    private final Map<String, Long> possibleSince = new HashMap<>();

    private volatile Duration delay = Duration.ofMillis(100);

    GarbageCollector(ObjectStore store, Deletions deletions) {
        this.store = store;
        this.deletions = deletions;
    }

    /**
     * How long after a step becomes possible the collector takes it. A real cluster has no fixed
     * value: its work queue answers within milliseconds when idle, seconds to minutes when busy.
     * Read at every pass, so lengthening it holds the collector back and shortening it lets it go.
     */
    void delay(Duration delay) {
        this.delay = delay;
    }

    void reconcile() {
        Map<String, V1Job> owners = new HashMap<>();
        for (V1Job j : store.<V1Job>peekAll(ResourceKind.JOB)) {
            owners.put(j.getMetadata().getUid(), j);
        }
        Set<String> pending = new HashSet<>();
        for (V1Job job : owners.values()) {
            List<String> finalizers = job.getMetadata().getFinalizers();
            if (job.getMetadata().getDeletionTimestamp() == null || finalizers == null) {
                continue;
            }
            boolean foreground = finalizers.contains(Deletions.FOREGROUND);
            if ((foreground || finalizers.contains(Deletions.ORPHAN))
                    && due(job.getMetadata().getUid(), pending)) {
                if (foreground) {
                    deleteDependentsFirst(job);
                } else {
                    orphanDependents(job);
                }
            }
        }
        for (V1Pod pod : store.<V1Pod>peekAll(ResourceKind.POD)) {
            List<V1OwnerReference> refs = pod.getMetadata().getOwnerReferences();
            boolean dangling =
                    refs != null && !refs.isEmpty() && refs.stream().noneMatch(r -> owners.containsKey(r.getUid()));
            if (dangling && !Pods.deleting(pod) && due(pod.getMetadata().getUid(), pending)) {
                deleteQuietly(pod);
            }
        }
        possibleSince.keySet().retainAll(pending);
    }

    static List<V1Pod> dependents(ObjectStore store, KubernetesObject owner) {
        String uid = owner.getMetadata().getUid();
        List<V1Pod> out = new ArrayList<>();
        for (V1Pod p : store.<V1Pod>peekAll(ResourceKind.POD)) {
            List<V1OwnerReference> refs = p.getMetadata().getOwnerReferences();
            if (refs != null && refs.stream().anyMatch(r -> uid.equals(r.getUid()))) {
                out.add(p);
            }
        }
        return out;
    }

    private boolean due(String uid, Set<String> pending) {
        pending.add(uid);
        long since = possibleSince.computeIfAbsent(uid, k -> System.nanoTime());
        return System.nanoTime() - since >= delay.toNanos();
    }

    private void deleteDependentsFirst(V1Job job) {
        String uid = job.getMetadata().getUid();
        boolean blocked = false;
        for (V1Pod p : dependents(store, job)) {
            if (!Pods.deleting(p)) {
                deleteQuietly(p);
            }
            blocked |= p.getMetadata().getOwnerReferences().stream()
                    .anyMatch(r -> uid.equals(r.getUid()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
        }
        if (!blocked) {
            removeFinalizer(job, Deletions.FOREGROUND);
        }
    }

    private void orphanDependents(V1Job job) {
        String uid = job.getMetadata().getUid();
        for (V1Pod p : dependents(store, job)) {
            store.update(
                    Pods.key(p),
                    (V1Pod q) -> q.getMetadata().getOwnerReferences().removeIf(r -> uid.equals(r.getUid())));
        }
        removeFinalizer(job, Deletions.ORPHAN);
    }

    private void removeFinalizer(V1Job job, String finalizer) {
        store.update(
                new ObjectKey(
                        ResourceKind.JOB,
                        job.getMetadata().getNamespace(),
                        job.getMetadata().getName()),
                o -> o.getMetadata().getFinalizers().remove(finalizer));
    }

    private void deleteQuietly(V1Pod p) {
        try {
            deletions.deletePod(Pods.key(p), null);
        } catch (ApiError gone) {
            // deleted meanwhile
        }
    }
}
