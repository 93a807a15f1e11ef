package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Pod;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kubelet's volume manager, for the claims a test made hang: every mount attempt fails (Warning
 * FailedMount "MountVolume.SetUp failed ...", tried again after a delay doubling up to 244 times
 * the first, as 500 ms doubles to the kubelet's 2 min 2 s), and each time the kubelet's wait for
 * the pod's volumes times out, Warning FailedMount "Unable to attach or mount volumes: ...". A
 * message repeated is one event whose count grows, as the kubelet's event recorder aggregates them.
 */
final class VolumeManager {
    private static final int MAX_BACKOFF_FACTOR = 244;

    private static final class Wait {
        long nextAttempt;
        long backoff;
        long timeoutAt;
    }

    private final ContainerRuntime runtime;
    private final EventRecorder events;
    private final Map<String, Wait> waits = new HashMap<>();

    VolumeManager(ContainerRuntime runtime, EventRecorder events) {
        this.runtime = runtime;
        this.events = events;
    }

    /** Whether the pod's volumes are mounted; while they are not, records why in events. */
    boolean mounted(V1Pod pod) {
        String uid = pod.getMetadata().getUid();
        List<String> hanging = runtime.hangingVolumes(pod);
        if (hanging.isEmpty()) {
            waits.remove(uid);
            return true;
        }
        long now = System.nanoTime();
        Wait w = waits.computeIfAbsent(uid, k -> {
            Wait fresh = new Wait();
            fresh.nextAttempt = now;
            fresh.backoff = runtime.mountRetry.toNanos();
            fresh.timeoutAt = now + runtime.mountTimeout.toNanos();
            return fresh;
        });
        if (now >= w.nextAttempt) {
            hanging.forEach(v -> events.warning(
                    pod,
                    "FailedMount",
                    "MountVolume.SetUp failed for volume \"" + v + "\" : mount failed: exit status 32"));
            w.nextAttempt = now + w.backoff;
            w.backoff = Math.min(w.backoff * 2, runtime.mountRetry.toNanos() * MAX_BACKOFF_FACTOR);
        }
        if (now >= w.timeoutAt) {
            // The 1.29-1.33 wording: only attachable plugins' volumes are listed as unattached.
            events.warning(
                    pod,
                    "FailedMount",
                    "Unable to attach or mount volumes: unmounted volumes=["
                            + String.join(" ", hanging) + "], unattached volumes=[], failed to process volumes=[]: "
                            + "timed out waiting for the condition");
            w.timeoutAt = now + runtime.mountTimeout.toNanos();
        }
        return false;
    }

    void retain(Set<String> podUids) {
        waits.keySet().retainAll(podUids);
    }
}
