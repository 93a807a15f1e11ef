package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.OutcomeMessage;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a worker Job stands, judged from the Job and its pods as they are now. Level-based: the
 * same state gives the same answer however it was reached, so a missed watch event costs
 * nothing once a relist has refreshed the cache.
 */
record JobState(Kind kind, String message, List<Outcome> outcomes, V1Pod pod) {

    /**
     * EXHAUSTED: every pod Kubernetes tried ran out of memory, so the items fail saying so (a new
     * Job with the same limit would too). FAILED: the worker or the cluster failed, not the file:
     * worth another Job. UNAVAILABLE: nothing will run until someone fixes the cluster.
     */
    enum Kind {
        MISSING,
        STARTING,
        RUNNING,
        COMPLETING,
        DONE,
        BAD_INPUT,
        EXHAUSTED,
        FAILED,
        UNAVAILABLE
    }

    static JobState of(V1Job job, List<V1Pod> pods, OffsetDateTime now, Duration pendingTimeout) {
        if (job == null) {
            return new JobState(Kind.MISSING, "no such Job", null, null);
        }
        // From Kubernetes 1.31 SuccessCriteriaMet and FailureTarget come first, and Complete and
        // Failed only once every pod has ended: a pod stuck on a lost node can hold them back for good.
        Optional<V1JobCondition> complete = condition(job, "Complete").or(() -> condition(job, "SuccessCriteriaMet"));
        if (complete.isPresent()) {
            V1Pod pod = latest(pods, "Succeeded");
            if (pod == null) {
                // Jobs and pods come through separate watches: the Job can say Complete before the
                // pod cache has the pod that succeeded (and its outcomes). Wait for it.
                return new JobState(Kind.COMPLETING, "Job complete; waiting for its succeeded pod", null, null);
            }
            Optional<OutcomeMessage.Reported> r = reported(pod);
            // Exit 0 means an outcome per item: done or bad input, or lost for want of room in the message.
            return r.filter(x -> x.outcomes().stream().allMatch(y -> y.done() || y.badInput()))
                    .map(x -> new JobState(Kind.DONE, null, x.withMissing(), pod))
                    .orElseGet(() -> new JobState(
                            Kind.FAILED,
                            r.isPresent()
                                    ? "the worker finished without reporting a result"
                                    : "the worker finished without a readable result: " + unreadable(pod),
                            null,
                            pod));
        }
        Optional<V1JobCondition> failed = condition(job, "Failed").or(() -> condition(job, "FailureTarget"));
        if (failed.isPresent()) {
            V1Pod pod = latest(pods, "Failed");
            String reason = failed.get().getReason();
            if ("PodFailurePolicy".equals(reason)) {
                String why = message(pod).orElse("bad input");
                return new JobState(Kind.BAD_INPUT, why, outcomes(pod).orElse(null), pod);
            }
            if ("BackoffLimitExceeded".equals(reason)) {
                PodFailures f = PodFailures.of(pods);
                Integer counted = job.getStatus().getFailed();
                if (f.pods() == 0 || counted != null && f.pods() < counted) {
                    // As with Complete: the pods' last updates come through their own watch, maybe later.
                    return new JobState(Kind.COMPLETING, "Job failed; waiting for its failed pods to show", null, null);
                }
                String why = "Job " + job.getMetadata().getName() + " failed (" + reason + "): "
                        + (f.pods() > 0 ? f.summary() : describe(pod));
                return new JobState(f.memory() ? Kind.EXHAUSTED : Kind.FAILED, why, null, pod);
            }
            return new JobState(Kind.FAILED, "Job failed (" + reason + "): " + describe(pod), null, pod);
        }
        for (V1Pod pod : pods) {
            Optional<String> stuck = stuckTerminating(pod, now, pendingTimeout);
            if (stuck.isPresent()) {
                return new JobState(Kind.UNAVAILABLE, stuck.get(), null, pod);
            }
        }
        for (V1Pod pod : pods) {
            Optional<String> waiting = waiting(pod);
            if (waiting.isPresent()) {
                OffsetDateTime since = pod.getMetadata().getCreationTimestamp();
                if (since != null && Duration.between(since, now).compareTo(pendingTimeout) > 0) {
                    return new JobState(
                            Kind.UNAVAILABLE,
                            "pod " + pod.getMetadata().getName() + " has not started for " + pendingTimeout.toSeconds()
                                    + " s: " + waiting.get(),
                            null,
                            pod);
                }
                return new JobState(Kind.STARTING, waiting.get(), null, pod);
            }
        }
        return new JobState(pods.isEmpty() ? Kind.STARTING : Kind.RUNNING, null, null, null);
    }

    boolean finished() {
        return kind != Kind.MISSING && kind != Kind.STARTING && kind != Kind.RUNNING && kind != Kind.COMPLETING;
    }

    /**
     * Why a pending pod has not started, whatever the reason: unschedulable, an image that cannot
     * be pulled, a volume that never mounts (ContainerCreating for ever, the reason only in its
     * FailedMount events), a sandbox that cannot be made. Any of them ends at the pending timeout.
     */
    private static Optional<String> waiting(V1Pod pod) {
        if (pod.getStatus() == null
                || !"Pending".equals(pod.getStatus().getPhase())
                || pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        if (pod.getStatus().getConditions() != null) {
            for (V1PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return Optional.of(c.getReason() + ": " + c.getMessage());
                }
            }
        }
        for (V1ContainerStatus cs : statuses(pod)) {
            V1ContainerStateWaiting w =
                    cs.getState() == null ? null : cs.getState().getWaiting();
            if (w != null && w.getReason() != null) {
                return Optional.of(w.getReason() + (w.getMessage() != null ? ": " + w.getMessage() : ""));
            }
        }
        return Optional.of("Pending");
    }

    /**
     * A pod still there the pending timeout after its grace period ended. Its kubelet would have
     * ended it by then: the node is unreachable (lost, or cut off and maybe still running it), and
     * Kubernetes neither replaces nor forgets the pod until the node is deleted or tainted
     * out-of-service. Running the items elsewhere meanwhile could write the same outputs twice.
     */
    private static Optional<String> stuckTerminating(V1Pod pod, OffsetDateTime now, Duration timeout) {
        OffsetDateTime graceEnd = pod.getMetadata().getDeletionTimestamp();
        if (graceEnd == null || ended(pod) || !now.isAfter(graceEnd.plus(timeout))) {
            return Optional.empty();
        }
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        String why = pod.getStatus() == null || pod.getStatus().getConditions() == null
                ? null
                : pod.getStatus().getConditions().stream()
                        .filter(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()))
                        .map(c -> c.getReason() + (c.getMessage() != null ? ": " + c.getMessage() : ""))
                        .findFirst()
                        .orElse(null);
        return Optional.of("pod " + pod.getMetadata().getName() + (node != null ? " on node " + node : "")
                + " is still terminating " + Duration.between(graceEnd, now).toSeconds()
                + " s after its grace period ended"
                + (why != null ? " (" + why + ")" : "")
                + ": its node is unreachable; Kubernetes keeps the pod, and vidbatch runs its items"
                + " nowhere else, until the node is back, deleted (kubectl delete node "
                + (node != null ? node : "NODE")
                + ") or tainted node.kubernetes.io/out-of-service=nodeshutdown:NoExecute; then restart the job");
    }

    /** The first reason the worker gave, if it gave one. */
    private static Optional<String> message(V1Pod pod) {
        return outcomes(pod)
                .flatMap(os ->
                        os.stream().map(Outcome::message).filter(m -> m != null).findFirst());
    }

    static Optional<List<Outcome>> outcomes(V1Pod pod) {
        return reported(pod).map(OutcomeMessage.Reported::withMissing);
    }

    /** The worker's message, read past whatever the runtime put in front of it. */
    private static Optional<OutcomeMessage.Reported> reported(V1Pod pod) {
        V1ContainerStateTerminated t = terminated(pod);
        if (t == null || t.getMessage() == null || t.getMessage().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OutcomeMessage.read(t.getMessage()));
        } catch (RuntimeException e) {
            return Optional.empty(); // FallbackToLogsOnError put log lines there, not an outcome
        }
    }

    /** What stood where the outcomes should be, briefly: nothing, or the start of what could not be read. */
    private static String unreadable(V1Pod pod) {
        V1ContainerStateTerminated t = terminated(pod);
        String m = t == null || t.getMessage() == null ? "" : t.getMessage().strip();
        return m.isEmpty()
                ? "its termination message is empty"
                : "its termination message holds no complete outcome (" + m.length() + " characters, starting \""
                        + m.substring(0, Math.min(80, m.length())) + "\")";
    }

    /** A failed pod in a sentence: OOMKilled (exit 137), or the worker's own reason. */
    static String describe(V1Pod pod) {
        V1ContainerStateTerminated t = terminated(pod);
        if (t == null) {
            return pod == null ? "no pod" : "pod " + pod.getMetadata().getName() + " did not report";
        }
        String why = outcomes(pod).isPresent()
                ? message(pod).orElse("")
                : t.getMessage() == null ? "" : t.getMessage().strip();
        return t.getReason() + " (exit " + t.getExitCode() + ")" + (why.isEmpty() ? "" : ": " + why);
    }

    static V1ContainerStateTerminated terminated(V1Pod pod) {
        for (V1ContainerStatus cs : statuses(pod)) {
            if (JobSpecs.CONTAINER.equals(cs.getName())
                    && cs.getState() != null
                    && cs.getState().getTerminated() != null) {
                return cs.getState().getTerminated();
            }
        }
        return null;
    }

    private static List<V1ContainerStatus> statuses(V1Pod pod) {
        return pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? List.of()
                : pod.getStatus().getContainerStatuses();
    }

    private static boolean ended(V1Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static Optional<V1JobCondition> condition(V1Job job, String type) {
        return job.getStatus() == null || job.getStatus().getConditions() == null
                ? Optional.empty()
                : job.getStatus().getConditions().stream()
                        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                        .findFirst();
    }

    private static V1Pod latest(List<V1Pod> pods, String phase) {
        return pods.stream()
                .filter(p -> p.getStatus() != null && phase.equals(p.getStatus().getPhase()))
                .max(Comparator.comparing(
                        p -> p.getMetadata().getCreationTimestamp(), Comparator.nullsFirst(Comparator.naturalOrder())))
                .orElse(null);
    }
}
