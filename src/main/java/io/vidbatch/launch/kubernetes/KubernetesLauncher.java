package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vidbatch.launch.Launcher;
import io.vidbatch.launch.Launchers;
import io.vidbatch.launch.WorkerUnavailableException;
import io.vidbatch.media.OutputFiles;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.work.Launch;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.WorkItem;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Runs each group of items as a batch/v1 Job whose pod runs the worker entry point. Completion
 * is noticed through informers (watch, healed by relists and resyncs), the outcomes are the
 * pod's termination message, a stop deletes the Job, and a coordinator restarted mid-run adopts
 * the Job it made before (same deterministic name, same items) instead of starting it twice.
 */
@ApplicationScoped
@Named(Launchers.KUBERNETES)
public class KubernetesLauncher implements Launcher {

    private static final Logger LOG = Logger.getLogger(KubernetesLauncher.class.getName());
    private static final long POLL_MILLIS = 500;
    /** A Job just created may take a moment to reach the informer's cache. */
    private static final Duration CACHE_GRACE = Duration.ofSeconds(30);

    @Inject
    KubernetesSettings settings;

    @Inject
    Owner owner;

    private volatile Cluster cluster;

    /** The API calls this launcher makes, as RBAC sees them: the Role grants exactly these. */
    public static final List<String> API_CALLS = List.of(
            "create jobs",
            "get jobs",
            "list jobs",
            "watch jobs",
            "delete jobs",
            "list pods",
            "watch pods",
            "get pods/log",
            "list events");

    @Override
    public List<Outcome> run(List<WorkItem> group, Launch launch)
            throws ToolFailureException, WorkerUnavailableException, StoppedException {
        try {
            Cluster c = cluster();
            String name = Labels.jobName(settings.jobPrefix(), group);
            try {
                start(c, name, group, launch);
                return follow(c, name, group, launch);
            } finally {
                c.forget(name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailureException("interrupted while waiting for the worker", e);
        } catch (ApiException e) {
            throw new ToolFailureException("Kubernetes API: " + ApiCalls.describe(e), e);
        }
    }

    /** Creates the group's Job, or adopts one that is already there (made before a coordinator restart). */
    private void start(Cluster c, String name, List<WorkItem> group, Launch launch)
            throws ApiException, InterruptedException, WorkerUnavailableException {
        V1Job existing = c.job(name) != null ? c.job(name) : read(c, name);
        refuseStrangers(c, existing);
        if (existing != null && existing.getMetadata().getDeletionTimestamp() != null) {
            // Deleted (a stop, a replacement) and its pod still terminating: a new Job of the same name
            // now would run beside that pod on the same items and outputs.
            launch.log().accept("waiting for Job " + name + " and its pods to be gone before making it again");
            awaitGone(c, name);
            existing = null;
        }
        boolean sameItems = existing != null
                && existing.getMetadata().getAnnotations() != null
                && Labels.items(group)
                        .equals(existing.getMetadata().getAnnotations().get(Labels.ITEMS));
        if (existing != null && (hasCondition(existing, "Failed") || !sameItems)) {
            // Failed in an earlier execution, or made for other items: this attempt gets a fresh Job under the same
            // name.
            launch.log()
                    .accept("replacing Job " + name + (sameItems ? " (it failed before)" : " (it ran other items)"));
            delete(c, name);
            awaitGone(c, name);
            existing = null;
        }
        if (existing != null) {
            launch.log()
                    .accept("adopting Job " + name + " (made by execution "
                            + existing.getMetadata().getLabels().get(Labels.EXECUTION) + ")");
            return;
        }
        V1Job job = new JobSpecs(settings).job(c.namespace, c.owner, group, launch.execution(), launch.partition());
        try {
            ApiCalls.call(() -> c.batch.createNamespacedJob(c.namespace, job).execute());
            launch.log().accept("created Job " + name + " in namespace " + c.namespace);
        } catch (ApiException e) {
            if (e.getCode() == 409) {
                // Made meanwhile: by this coordinator's retry, or by a stranger.
                refuseStrangers(c, read(c, name));
                launch.log().accept("adopting Job " + name + " (it already exists)");
            } else if (e.getCode() == 403 || e.getCode() == 422 || e.getCode() == 400) {
                // Quota, RBAC or an invalid pod template: nothing retrying can change.
                throw new WorkerUnavailableException("cannot create Job " + name + ": " + ApiCalls.describe(e));
            } else {
                throw e;
            }
        }
    }

    /**
     * A Job of our name that another coordinator made (same prefix, another database) is neither
     * adopted, nor deleted, nor replaced: it is not ours to touch, and its items are not ours.
     */
    private void refuseStrangers(Cluster c, V1Job job) throws WorkerUnavailableException {
        if (job == null || c.owner.equals(Labels.owner(job))) {
            return;
        }
        String theirs = Labels.owner(job);
        throw new WorkerUnavailableException("Job " + job.getMetadata().getName() + " in namespace " + c.namespace
                + " belongs to another coordinator ("
                + (theirs == null ? "it carries no " + Labels.OWNER + " label" : Labels.OWNER + "=" + theirs)
                + "; this one is " + c.owner + "), left untouched: coordinators sharing a"
                + " namespace need their own k8s.job.prefix (now \"" + settings.jobPrefix() + "\"), and a recreated"
                + " database needs the old Jobs deleted (kubectl delete jobs -l " + Labels.COORDINATOR + "="
                + settings.jobPrefix() + ")");
    }

    private List<Outcome> follow(Cluster c, String name, List<WorkItem> group, Launch launch)
            throws ApiException, InterruptedException, ToolFailureException, WorkerUnavailableException,
                    StoppedException {
        OffsetDateTime missingSince = null;
        Duration pendingTimeout = Duration.ofSeconds(settings.pendingTimeoutSeconds());
        PodlessClock podless = new PodlessClock();
        while (true) {
            long seen = c.changes(name);
            V1Job job = c.job(name);
            List<V1Pod> pods = c.podsOf(job);
            OffsetDateTime now = OffsetDateTime.now();
            JobState state = JobState.of(job, pods, now, pendingTimeout);
            Duration withoutPod = podless.podless(job, pods, now);
            if (state.kind() == JobState.Kind.STARTING && pods.isEmpty() && withoutPod.compareTo(pendingTimeout) > 0) {
                // Admission refuses its pods (quota, ServiceAccount, ...): ended like a pod that cannot start.
                state = new JobState(
                        JobState.Kind.UNAVAILABLE,
                        WarningEvents.reason(c.core, c.namespace, job, pendingTimeout),
                        null,
                        null);
            }
            if (state.kind() == JobState.Kind.UNAVAILABLE
                    && state.pod() != null
                    && "Pending".equals(state.pod().getStatus().getPhase())) {
                state = new JobState(
                        state.kind(),
                        WarningEvents.aboutPod(c.core, c.namespace, state.pod(), state.message()),
                        null,
                        state.pod());
            }
            if (state.finished()) {
                return finish(c, name, group, state, launch);
            }
            if (state.kind() == JobState.Kind.MISSING || state.kind() == JobState.Kind.COMPLETING) {
                missingSince = missingSince != null ? missingSince : OffsetDateTime.now();
                if (Duration.between(missingSince, OffsetDateTime.now()).compareTo(CACHE_GRACE) > 0) {
                    throw new ToolFailureException(
                            state.kind() == JobState.Kind.MISSING
                                    ? "Job " + name + " disappeared before it finished"
                                    : "Job " + name + ": " + state.message() + " for " + CACHE_GRACE.toSeconds()
                                            + " s");
                }
            } else {
                missingSince = null;
            }
            if (launch.stopRequested().getAsBoolean()) {
                // Deleting the Job deletes its pod: the worker gets SIGTERM, ends ffmpeg and cleans up.
                delete(c, name);
                launch.log().accept("stopped: deleted Job " + name);
                throw new StoppedException();
            }
            c.await(name, seen, POLL_MILLIS);
        }
    }

    private List<Outcome> finish(Cluster c, String name, List<WorkItem> group, JobState state, Launch launch)
            throws ApiException, InterruptedException, ToolFailureException, WorkerUnavailableException {
        V1Pod pod = state.pod();
        if (pod != null) {
            logs(c, pod, launch);
        }
        // Nothing is left behind; ttlSecondsAfterFinished covers a coordinator that dies right here.
        delete(c, name);
        // A killed pod (OOM, lost node) could not remove its temporary outputs on the shared volume, and
        // Kubernetes may have finished the items with a replacement pod since: every pod is over now,
        // unless one is stuck on an unreachable node, where it may still be writing them.
        if (!stuck(pod)) {
            group.forEach(item -> OutputFiles.removeTemporaries(Path.of(item.output())));
        }
        return switch (state.kind()) {
            case DONE -> placed(state.outcomes(), group, pod);
            case BAD_INPUT ->
                state.outcomes() != null && state.outcomes().size() == group.size()
                        ? placed(state.outcomes(), group, pod)
                        : allBad(group, state.message());
            // Out of memory on every try: a new Job with the same limit would be too. Not the file's
            // fault, so not bad input (a segment would go whole for it): the items fail, saying so.
            case EXHAUSTED ->
                group.stream().map(i -> Outcome.failed(state.message())).toList();
            case UNAVAILABLE -> throw new WorkerUnavailableException(state.message());
            default -> throw new ToolFailureException(state.message());
        };
    }

    private static boolean stuck(V1Pod pod) {
        return pod != null
                && pod.getMetadata().getDeletionTimestamp() != null
                && pod.getStatus() != null
                && !"Succeeded".equals(pod.getStatus().getPhase())
                && !"Failed".equals(pod.getStatus().getPhase());
    }

    private static List<Outcome> allBad(List<WorkItem> group, String why) {
        return group.stream().map(i -> Outcome.badInput(why)).toList();
    }

    private static List<Outcome> placed(List<Outcome> reported, List<WorkItem> group, V1Pod pod)
            throws ToolFailureException {
        if (reported.size() != group.size()) {
            throw new ToolFailureException("pod " + pod.getMetadata().getName() + " reported " + reported.size()
                    + " outcomes for " + group.size() + " items");
        }
        return Outcome.placed(
                reported,
                group,
                "k8s:" + pod.getSpec().getNodeName() + "/" + pod.getMetadata().getName());
    }

    /**
     * The most of a pod's log copied into the job log: its last lines, where ffmpeg's closing
     * statistics and errors are. A worker (or a file that makes ffmpeg warn on every frame) can
     * write gigabytes, and the whole read would sit in the coordinator's heap.
     */
    public static final int LOG_TAIL_LINES = 1000;

    public static final int LOG_LIMIT_BYTES = 256 * 1024;

    /** The worker's output (ffmpeg's lines among it) into the partition's job log. */
    private void logs(Cluster c, V1Pod pod, Launch launch) throws InterruptedException {
        try {
            String text = ApiCalls.call(
                    () -> c.core.readNamespacedPodLog(pod.getMetadata().getName(), c.namespace)
                            .container(JobSpecs.CONTAINER)
                            .tailLines(LOG_TAIL_LINES)
                            .limitBytes(LOG_LIMIT_BYTES)
                            .execute());
            if (text != null) {
                text.lines()
                        .filter(l -> !l.isBlank())
                        .forEach(l ->
                                launch.log().accept("pod " + pod.getMetadata().getName() + ": " + l));
            }
        } catch (ApiException e) {
            launch.log().accept("no log from pod " + pod.getMetadata().getName() + ": " + ApiCalls.describe(e));
        }
    }

    private static V1Job read(Cluster c, String name) throws ApiException, InterruptedException {
        try {
            return ApiCalls.call(
                    () -> c.batch.readNamespacedJob(name, c.namespace).execute());
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static void delete(Cluster c, String name) throws ApiException, InterruptedException {
        try {
            // Foreground: the Job object stays until its pods are gone, so "no Job" means "no pod".
            ApiCalls.call(() -> c.batch
                    .deleteNamespacedJob(name, c.namespace)
                    .propagationPolicy("Foreground")
                    .execute());
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Until the Job is gone: with Foreground deletion, until its pods have had their grace period and ended. */
    private void awaitGone(Cluster c, String name)
            throws InterruptedException, ApiException, WorkerUnavailableException {
        Duration wait = CACHE_GRACE.plusSeconds(settings.terminationGraceSeconds());
        long deadline = System.nanoTime() + wait.toNanos();
        while (c.job(name) != null || read(c, name) != null) {
            if (System.nanoTime() > deadline) {
                // A pod on an unreachable node keeps a Foreground-deleted Job for good; its items must
                // not run anywhere else meanwhile.
                String pods = c.podsOf(c.job(name)).stream()
                        .filter(KubernetesLauncher::stuck)
                        .map(p -> p.getMetadata().getName()
                                + (p.getSpec().getNodeName() != null
                                        ? " on node " + p.getSpec().getNodeName()
                                        : ""))
                        .collect(Collectors.joining(", "));
                throw new WorkerUnavailableException(
                        "Job " + name + " is still there " + wait.toSeconds() + " s after deleting it"
                                + (pods.isEmpty()
                                        ? ""
                                        : "; its pod " + pods + " is still terminating: its node is unreachable;"
                                                + " its items run nowhere else until the node is back, deleted or tainted node.kubernetes.io/out-of-service"));
            }
            long seen = c.changes(name);
            c.await(name, seen, POLL_MILLIS);
        }
    }

    private static boolean hasCondition(V1Job job, String type) {
        return job.getStatus() != null
                && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream()
                        .anyMatch(cond -> type.equals(cond.getType()) && "True".equals(cond.getStatus()));
    }

    private Cluster cluster() throws ToolFailureException, InterruptedException {
        Cluster c = cluster;
        if (c == null) {
            synchronized (this) {
                if (cluster == null) {
                    String id;
                    try {
                        id = owner.id();
                    } catch (SQLException e) {
                        throw new ToolFailureException(
                                "cannot read this coordinator's owner id from its database: " + e.getMessage(), e);
                    }
                    try {
                        cluster = new Cluster(settings, id);
                    } catch (IOException | RuntimeException e) {
                        throw new ToolFailureException("cannot reach the Kubernetes API: " + e.getMessage(), e);
                    }
                }
                c = cluster;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        if (cluster != null) {
            cluster.close();
            LOG.info("stopped watching worker Jobs");
        }
    }
}
