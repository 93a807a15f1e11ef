package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1UncountedTerminatedPods;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The batch/v1 Job controller for one pod at a time (completions=1, parallelism=1): a pod from the
 * template, its outcome counted through the job-tracking finalizer, podFailurePolicy, backoffLimit,
 * activeDeadlineSeconds and ttlSecondsAfterFinished, with the conditions of Kubernetes 1.31
 * (SuccessCriteriaMet then Complete, FailureTarget then Failed).
 */
final class JobController {
    private final ObjectStore store;
    private final Deletions deletions;
    private final Consumer<String> log;
    private final PodAdmission admission;
    private final EventRecorder events;
    private final Map<String, Long> nextPodAt = new HashMap<>();
    /** Per Job uid: pod creations refused in a row, for the retry's backoff. */
    private final Map<String, Integer> refused = new HashMap<>();

    private volatile Duration podBackoff = Duration.ZERO;
    private volatile Duration createRetry = Duration.ofSeconds(1);

    JobController(ObjectStore store, Deletions deletions, PodAdmission admission, Consumer<String> log) {
        this.store = store;
        this.deletions = deletions;
        this.admission = admission;
        this.events = new EventRecorder(store, "job-controller");
        this.log = log;
    }

    /** The delay before a replacement after the n-th counted failure is backoff * 2^(n-1); Kubernetes uses 10 s. */
    void podBackoff(Duration backoff) {
        podBackoff = backoff;
    }

    /**
     * The first delay before a refused pod creation is tried again, doubling per refusal up to 60
     * times it: the Job controller's work queue retries a failed sync from 1 s to 60 s.
     */
    void createRetry(Duration first) {
        createRetry = first;
    }

    void reconcile() {
        List<V1Job> jobs = store.peekAll(ResourceKind.JOB);
        Set<String> uids = new HashSet<>();
        jobs.forEach(j -> uids.add(j.getMetadata().getUid()));
        Map<String, List<V1Pod>> podsByJob = new HashMap<>();
        for (V1Pod p : store.<V1Pod>peekAll(ResourceKind.POD)) {
            String owner = Pods.controllerUid(p);
            if (owner != null && uids.contains(owner)) {
                podsByJob.computeIfAbsent(owner, k -> new ArrayList<>()).add(p);
            } else if (Pods.hasFinalizer(p, Pods.TRACKING_FINALIZER)) {
                removeFinalizer(p); // its Job is gone: nothing left to count it for
            }
        }
        nextPodAt.keySet().retainAll(uids);
        refused.keySet().retainAll(uids);
        for (V1Job job : jobs) {
            sync(job, podsByJob.getOrDefault(job.getMetadata().getUid(), List.of()));
        }
    }

    private void sync(V1Job job, List<V1Pod> pods) {
        if (job.getMetadata().getDeletionTimestamp() != null) {
            pods.stream()
                    .filter(p -> Pods.hasFinalizer(p, Pods.TRACKING_FINALIZER))
                    .forEach(this::removeFinalizer);
            return;
        }
        if (finalCondition(job) != null) {
            expireIfDue(job);
            pods.stream()
                    .filter(p -> Pods.terminal(p) && Pods.hasFinalizer(p, Pods.TRACKING_FINALIZER))
                    .forEach(this::removeFinalizer);
            return;
        }
        V1JobSpec spec = job.getSpec();
        V1JobStatus old = job.getStatus() == null ? new V1JobStatus() : job.getStatus();
        int succeeded = orZero(old.getSucceeded());
        int failed = orZero(old.getFailed());
        V1JobCondition failureTarget = condition(job, "FailureTarget");
        FailurePolicy.Decision failJob = null;
        List<V1Pod> counted = new ArrayList<>();
        // podReplacementPolicy TerminatingOrFailed (the default without a podFailurePolicy) counts a
        // terminating pod as failed at once, so an orphan that never reaches Failed still counts.
        boolean terminatingFails = !"Failed".equals(spec.getPodReplacementPolicy());
        for (V1Pod p : pods) {
            boolean failing = terminatingFails && Pods.deleting(p) && !"Succeeded".equals(Pods.phase(p));
            if (!(Pods.terminal(p) || failing) || !Pods.hasFinalizer(p, Pods.TRACKING_FINALIZER)) {
                continue;
            }
            counted.add(p);
            if ("Succeeded".equals(Pods.phase(p))) {
                succeeded++;
                continue;
            }
            FailurePolicy.Decision d = FailurePolicy.evaluate(spec.getPodFailurePolicy(), p);
            log.accept("job " + job.getMetadata().getName() + ": pod "
                    + p.getMetadata().getName() + " failed -> " + d.action()
                    + (d.message() == null ? "" : " (" + d.message() + ")"));
            if (d.action().equals("Ignore")) {
                continue;
            }
            failed++;
            if (d.action().equals("FailJob") && failJob == null) {
                failJob = d;
            }
            if (!podBackoff.isZero()) {
                long delay = podBackoff.toNanos() << Math.min(20, failed - 1);
                nextPodAt.put(job.getMetadata().getUid(), System.nanoTime() + delay);
            }
        }

        List<V1Pod> live = pods.stream().filter(p -> !Pods.terminal(p)).toList();
        List<V1Pod> active = live.stream().filter(p -> !Pods.deleting(p)).toList();
        int completions = spec.getCompletions() == null ? 1 : spec.getCompletions();
        String[] failure = null;
        if (failureTarget != null) {
            failure = new String[] {failureTarget.getReason(), failureTarget.getMessage()};
        } else if (failJob != null) {
            failure = new String[] {"PodFailurePolicy", failJob.message()};
        } else if (failed > orZero(spec.getBackoffLimit())) {
            failure = new String[] {"BackoffLimitExceeded", "Job has reached the specified backoff limit"};
        } else if (deadlinePassed(job)) {
            failure = new String[] {"DeadlineExceeded", "Job was active longer than specified deadline"};
        }
        boolean success = failure == null && succeeded >= completions;
        boolean done = failure != null || success;
        if (done) {
            active.forEach(p -> deletions.deletePod(Pods.key(p), null));
        } else if (!Boolean.TRUE.equals(spec.getSuspend())
                && blocking(spec, live) == 0
                && System.nanoTime() >= nextPodAt.getOrDefault(job.getMetadata().getUid(), 0L)) {
            createPod(job);
        }

        int s = succeeded;
        int f = failed;
        String[] why = failure;
        // From 1.31 Failed and Complete wait until no pod is left running or terminating.
        boolean finished = done && live.isEmpty() && counted.isEmpty();
        int activeNow = done ? 0 : active.size();
        int terminating = live.size() - active.size();
        int ready =
                done ? 0 : (int) active.stream().filter(JobController::ready).count();
        List<String[]> conditions = new ArrayList<>();
        if (why != null) {
            conditions.add(new String[] {"FailureTarget", why[0], why[1]});
            if (finished) {
                conditions.add(new String[] {"Failed", why[0], why[1]});
            }
        } else if (success) {
            conditions.add(new String[] {
                "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"
            });
            if (finished) {
                conditions.add(
                        new String[] {"Complete", "CompletionsReached", "Reached expected number of succeeded pods"});
            }
        }
        conditions.removeIf(c -> condition(job, c[0]) != null);
        boolean changed = !conditions.isEmpty()
                || old.getStartTime() == null
                || old.getUncountedTerminatedPods() == null
                || orZero(old.getSucceeded()) != s
                || orZero(old.getFailed()) != f
                || orZero(old.getActive()) != activeNow
                || orZero(old.getReady()) != ready
                || orZero(old.getTerminating()) != terminating;
        if (changed) {
            if (finished) {
                log.accept(
                        "job " + job.getMetadata().getName() + ": " + (why != null ? "Failed " + why[0] : "Complete"));
            }
            store.update(key(job), (V1Job j) -> {
                V1JobStatus st = j.getStatus() == null ? new V1JobStatus() : j.getStatus();
                st.succeeded(s)
                        .failed(f)
                        .active(activeNow)
                        .ready(ready)
                        .terminating(terminating)
                        .uncountedTerminatedPods(new V1UncountedTerminatedPods());
                if (st.getStartTime() == null) {
                    st.setStartTime(Times.now());
                }
                for (String[] c : conditions) {
                    addCondition(st, c[0], c[1], c[2]);
                    if (c[0].equals("Complete")) {
                        st.setCompletionTime(Times.now());
                    }
                }
                j.setStatus(st);
            });
        }
        // Counted in the Job's status first, then released: a pod is never counted twice or lost.
        counted.forEach(this::removeFinalizer);
    }

    /** Pods that stop a replacement: with podReplacementPolicy Failed, terminating pods count too. */
    private static int blocking(V1JobSpec spec, List<V1Pod> live) {
        boolean waitForTerminating = "Failed".equals(spec.getPodReplacementPolicy());
        return (int) live.stream()
                .filter(p -> waitForTerminating || !Pods.deleting(p))
                .count();
    }

    private void createPod(V1Job job) {
        V1ObjectMeta template = job.getSpec().getTemplate().getMetadata();
        V1ObjectMeta meta = new V1ObjectMeta()
                .generateName(job.getMetadata().getName() + "-")
                .namespace(job.getMetadata().getNamespace())
                .labels(template == null || template.getLabels() == null ? null : new HashMap<>(template.getLabels()))
                .annotations(
                        template == null || template.getAnnotations() == null
                                ? null
                                : new HashMap<>(template.getAnnotations()))
                .addOwnerReferencesItem(new V1OwnerReference()
                        .apiVersion("batch/v1")
                        .kind("Job")
                        .name(job.getMetadata().getName())
                        .uid(job.getMetadata().getUid())
                        .controller(true)
                        .blockOwnerDeletion(true))
                .addFinalizersItem(Pods.TRACKING_FINALIZER);
        V1Pod pod = new V1Pod()
                .metadata(meta)
                .spec(Json.copy(job.getSpec().getTemplate().getSpec()));
        Admission.admitPod(pod);
        String uid = job.getMetadata().getUid();
        try {
            admission.admit(pod, store);
        } catch (ApiError e) {
            // The Job stays without a pod and without a condition; only this event says why.
            int n = refused.merge(uid, 1, Integer::sum);
            events.warning(job, "FailedCreate", "Error creating: " + e.getMessage());
            log.accept("job " + job.getMetadata().getName() + ": FailedCreate " + e.getMessage());
            long delay = Math.min(createRetry.toNanos() * 60, createRetry.toNanos() << Math.min(20, n - 1));
            nextPodAt.put(uid, System.nanoTime() + delay);
            return;
        }
        refused.remove(uid);
        V1Pod created = store.create(pod);
        events.normal(
                job, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        log.accept("job " + job.getMetadata().getName() + ": created pod "
                + created.getMetadata().getName());
    }

    private void expireIfDue(V1Job job) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        V1JobCondition end = finalCondition(job);
        OffsetDateTime finishedAt = end.getLastTransitionTime();
        if (ttl != null && finishedAt != null && !Times.now().isBefore(finishedAt.plusSeconds(ttl))) {
            log.accept(
                    "job " + job.getMetadata().getName() + ": ttlSecondsAfterFinished=" + ttl + " expired, deleting");
            try {
                deletions.delete(key(job), "Foreground", null);
            } catch (ApiError gone) {
                // deleted meanwhile
            }
        }
    }

    private boolean deadlinePassed(V1Job job) {
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        OffsetDateTime start = job.getStatus() == null ? null : job.getStatus().getStartTime();
        return deadline != null && start != null && !Times.now().isBefore(start.plusSeconds(deadline));
    }

    private void removeFinalizer(V1Pod p) {
        store.update(Pods.key(p), (V1Pod q) -> q.getMetadata().getFinalizers().remove(Pods.TRACKING_FINALIZER));
    }

    private static boolean ready(V1Pod p) {
        V1PodCondition c = Pods.condition(p, "Ready");
        return c != null && "True".equals(c.getStatus());
    }

    private static V1JobCondition finalCondition(V1Job job) {
        V1JobCondition c = condition(job, "Complete");
        return c != null ? c : condition(job, "Failed");
    }

    private static V1JobCondition condition(V1Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst()
                .orElse(null);
    }

    private static void addCondition(V1JobStatus status, String type, String reason, String message) {
        OffsetDateTime now = Times.now();
        status.addConditionsItem(new V1JobCondition()
                .type(type)
                .status("True")
                .reason(reason)
                .message(message)
                .lastProbeTime(now)
                .lastTransitionTime(now));
    }

    private static ObjectKey key(V1Job j) {
        return new ObjectKey(
                ResourceKind.JOB,
                j.getMetadata().getNamespace(),
                j.getMetadata().getName());
    }

    private static int orZero(Integer i) {
        return Objects.requireNonNullElse(i, 0);
    }
}
