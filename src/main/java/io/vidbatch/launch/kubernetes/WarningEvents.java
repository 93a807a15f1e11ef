package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Why a Job has no pod, or its pod never starts, in the words of whoever refused it. When
 * admission refuses a pod (ResourceQuota, ServiceAccount, Pod Security, LimitRange, a webhook),
 * the Job gets no condition, only FailedCreate events from the Job controller; a volume that
 * never mounts leaves the pod in ContainerCreating, with the reason only in the kubelet's
 * FailedMount events. That is where {@code kubectl describe} finds them too. Needs "list
 * events" in the Role.
 */
final class WarningEvents {

    static final String REASON = "FailedCreate";
    /** "Error creating: pods "vb-3-1-" is forbidden: " says nothing a user needs. */
    private static final Pattern NOISE = Pattern.compile("^(Error creating: )?(pods \"[^\"]*\" is forbidden: )?");

    private WarningEvents() {}

    /** The group's end reason once the Job has had no pod for the timeout. */
    static String reason(CoreV1Api core, String namespace, V1Job job, Duration timeout) throws InterruptedException {
        String name = job.getMetadata().getName();
        String head = "no pod could be created for Job " + name + " in " + timeout.toSeconds() + " s";
        try {
            List<CoreV1Event> events = ApiCalls.call(() -> core.listNamespacedEvent(namespace)
                            .fieldSelector("involvedObject.kind=Job,involvedObject.name=" + name + ",reason=" + REASON)
                            .execute())
                    .getItems();
            return explain(events, job.getMetadata().getUid())
                    .map(why -> head + ": " + why)
                    .orElse(head + "; it has no " + REASON + " event to say why (kubectl describe job " + name + ")");
        } catch (ApiException e) {
            return head + "; its events could not be read (" + ApiCalls.describe(e)
                    + "; the Role needs \"list events\")";
        }
    }

    /**
     * A pending pod's end reason, with the kubelet's or scheduler's latest warning about it
     * (FailedMount, FailedAttachVolume, FailedCreatePodSandBox, ...) when there is one.
     */
    static String aboutPod(CoreV1Api core, String namespace, V1Pod pod, String state) throws InterruptedException {
        String name = pod.getMetadata().getName();
        try {
            List<CoreV1Event> events = ApiCalls.call(() -> core.listNamespacedEvent(namespace)
                            .fieldSelector("involvedObject.kind=Pod,involvedObject.name=" + name + ",type=Warning")
                            .execute())
                    .getItems();
            return latest(events, null, pod.getMetadata().getUid())
                    .map(e -> state + "; latest warning: " + e.getReason() + ": "
                            + e.getMessage().strip() + (count(e) > 1 ? " (" + count(e) + " times)" : ""))
                    .orElse(state);
        } catch (ApiException e) {
            return state + "; its events could not be read (" + ApiCalls.describe(e)
                    + "; the Role needs \"list events\")";
        }
    }

    private static int count(CoreV1Event e) {
        if (e.getSeries() != null && e.getSeries().getCount() != null) {
            return e.getSeries().getCount();
        }
        return e.getCount() == null ? 1 : e.getCount();
    }

    /**
     * The latest FailedCreate message about this very Job: events outlive their object for an
     * hour, so those of an earlier Job with the same name are told apart by uid.
     */
    static Optional<String> explain(List<CoreV1Event> events, String jobUid) {
        return latest(events, REASON, jobUid)
                .map(e -> NOISE.matcher(e.getMessage().strip()).replaceFirst(""));
    }

    /** The latest event with a message about the object with this uid (any uid when null), of this reason (any when null). */
    private static Optional<CoreV1Event> latest(List<CoreV1Event> events, String reason, String uid) {
        return events.stream()
                .filter(e -> (reason == null || reason.equals(e.getReason()))
                        && e.getMessage() != null
                        && e.getInvolvedObject() != null
                        && (uid == null
                                || Objects.equals(uid, e.getInvolvedObject().getUid())))
                .max(Comparator.comparing(WarningEvents::when, Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    /** When it last happened: core/v1 recorders set lastTimestamp, events.k8s.io ones eventTime or a series. */
    private static OffsetDateTime when(CoreV1Event e) {
        if (e.getSeries() != null && e.getSeries().getLastObservedTime() != null) {
            return e.getSeries().getLastObservedTime();
        }
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        return e.getEventTime() != null
                ? e.getEventTime()
                : e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp();
    }
}
