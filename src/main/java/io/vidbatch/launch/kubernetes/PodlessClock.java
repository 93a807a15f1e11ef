package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * How long a Job has gone without any pod: since it was created or since a pod of it was last
 * seen, whichever is later. Such a Job has no condition and no pod for the pending timeout to
 * judge, so without this clock an exceeded quota, a missing ServiceAccount or a webhook that
 * refuses pods would leave the group waiting for ever. One clock per Job being followed.
 */
final class PodlessClock {

    private OffsetDateTime lastPod;
    private OffsetDateTime firstLook;

    /** Zero while the Job has a pod (or is not there to judge). */
    Duration podless(V1Job job, List<V1Pod> pods, OffsetDateTime now) {
        firstLook = firstLook != null ? firstLook : now;
        if (!pods.isEmpty()) {
            lastPod = now;
            return Duration.ZERO;
        }
        if (job == null) {
            return Duration.ZERO;
        }
        // A replacement pod that cannot be created starts the clock when the pod before it went away.
        OffsetDateTime since = latest(job.getMetadata().getCreationTimestamp(), lastPod);
        // No creation time (never from an apiserver): count from when this launcher first looked.
        return Duration.between(since != null ? since : firstLook, now);
    }

    private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
