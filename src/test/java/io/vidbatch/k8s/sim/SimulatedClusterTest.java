package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.util.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.vidbatch.k8s.sim.TestJobs.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulated cluster as client-java sees it: every call and watch goes over HTTP. */
class SimulatedClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private SimulatedCluster cluster;
    private ApiClient client;
    private BatchV1Api batch;
    private CoreV1Api core;
    private Informers informers;

    @BeforeEach
    void start() throws Exception {
        cluster = SimulatedCluster.start();
        // The way a launcher configured with a kubeconfig file gets its client.
        client = Config.fromConfig(cluster.kubeconfig(tmp.resolve("kubeconfig")).toString());
        client.setHttpClient(
                client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
        batch = new BatchV1Api(client);
        core = new CoreV1Api(client);
        informers = new Informers(client, NS);
    }

    @AfterEach
    void stop() {
        informers.close();
        cluster.close();
    }

    @Test
    void jobRunsItsPodToSuccessWithTerminationMessageAndLog() throws Exception {
        V1Job job = TestJobs.shell("item-1", "echo '{\"ok\":true}' > \"$VIDBATCH_RESULT_FILE\"; echo hello");
        batch.createNamespacedJob(NS, job).execute();

        V1Pod pod = informers.awaitPod(p -> "Succeeded".equals(TestJobs.phase(p)), WAIT);
        assertThat(pod.getMetadata().getName()).matches("item-1-[a-z0-9]{5}");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry("batch.kubernetes.io/job-name", "item-1")
                .containsEntry("job-name", "item-1")
                .containsEntry("item", "item-1");
        assertThat(pod.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(r -> assertThat(r.getController()).isTrue());
        V1ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
        assertThat(status.getState().getTerminated().getExitCode()).isZero();
        assertThat(status.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(status.getState().getTerminated().getMessage()).isEqualTo("{\"ok\":true}\n");

        String log = core.readNamespacedPodLog(pod.getMetadata().getName(), NS)
                .container("main")
                .execute();
        assertThat(log).isEqualTo("hello\n");

        V1Job done = informers.awaitJob(j -> TestJobs.hasCondition(j, "Complete"), WAIT);
        assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(done.getStatus().getCompletionTime()).isNotNull();
        assertThat(cluster.jobsCreated()).containsExactly(Map.entry("item-1", 1));
        assertThat(cluster.api().rbacVerbs())
                .contains("create jobs", "list jobs", "watch jobs", "list pods", "watch pods", "get pods/log");
    }

    /** Kubernetes: the kubelet reads at most the last 4096 bytes of terminationMessagePath. */
    @Test
    void aTerminationMessageOverTheLimitKeepsItsLast4096Bytes() throws Exception {
        // 5000 bytes of "a", then a line the reader must still find.
        V1Job job = TestJobs.shell(
                "long-message",
                "head -c 5000 /dev/zero | tr '\\0' a > \"$VIDBATCH_RESULT_FILE\";"
                        + " printf '\\n{\"end\":true}' >> \"$VIDBATCH_RESULT_FILE\"");
        batch.createNamespacedJob(NS, job).execute();

        V1Pod pod = informers.awaitPod(p -> "Succeeded".equals(TestJobs.phase(p)), WAIT);
        String message = pod.getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getTerminated()
                .getMessage();
        assertThat(message).hasSize(4096).endsWith("a\n{\"end\":true}").startsWith("aaa");
    }

    /** Kubernetes: the runtime's message, if any, comes first, then ": " and the file's. */
    @Test
    void aRuntimeExitMessageComesBeforeTheTerminationMessage() throws Exception {
        cluster.runtimeExitMessage("runtime says");
        batch.createNamespacedJob(NS, TestJobs.shell("prefixed", "echo '{\"ok\":true}' > \"$VIDBATCH_RESULT_FILE\""))
                .execute();
        batch.createNamespacedJob(NS, TestJobs.shell("silent", "true")).execute();

        V1Pod prefixed = informers.awaitPod(
                p -> "Succeeded".equals(TestJobs.phase(p))
                        && p.getMetadata().getName().startsWith("prefixed"),
                WAIT);
        V1Pod silent = informers.awaitPod(
                p -> "Succeeded".equals(TestJobs.phase(p))
                        && p.getMetadata().getName().startsWith("silent"),
                WAIT);
        assertThat(prefixed.getStatus()
                        .getContainerStatuses()
                        .get(0)
                        .getState()
                        .getTerminated()
                        .getMessage())
                .isEqualTo("runtime says: {\"ok\":true}\n");
        assertThat(silent.getStatus()
                        .getContainerStatuses()
                        .get(0)
                        .getState()
                        .getTerminated()
                        .getMessage())
                .isEqualTo("runtime says");
    }

    @Test
    void failJobRuleOnExitCodeThreeFailsTheJobWithoutRetry() throws Exception {
        V1Job job = TestJobs.failurePolicy(TestJobs.shell("bad-input", "echo broken >&2; exit 3"), 3);
        job.getSpec().backoffLimit(5);
        batch.createNamespacedJob(NS, job).execute();

        V1Job failed = informers.awaitJob(j -> TestJobs.hasCondition(j, "Failed"), WAIT);
        assertThat(TestJobs.condition(failed, "Failed").getReason()).isEqualTo("PodFailurePolicy");
        assertThat(TestJobs.condition(failed, "Failed").getMessage())
                .matches(
                        "Container main for pod vidbatch/bad-input-\\w{5} failed with exit code 3 matching FailJob rule at index 0");
        assertThat(cluster.pods()).hasSize(1);
    }

    @Test
    void evictedPodIsIgnoredAndReplacedThenTheJobSucceeds() throws Exception {
        Path marker = tmp.resolve("evict-marker");
        batch.createNamespacedJob(
                        NS,
                        TestJobs.failurePolicy(TestJobs.shell("evictee", TestJobs.firstRunHangs(marker.toString())), 3))
                .execute();
        V1Pod first = informers.awaitPod(TestJobs::running, WAIT);
        cluster.await(() -> marker.toFile().exists(), WAIT, "the first run to start");

        cluster.evict(first.getMetadata().getName());

        V1Job done = informers.awaitJob(j -> TestJobs.hasCondition(j, "Complete"), WAIT);
        assertThat(done.getStatus().getFailed()).isZero(); // Ignore: not counted
        assertThat(cluster.events())
                .anyMatch(e -> e.contains(first.getMetadata().getName() + " failed -> Ignore"));
        assertThat(informers.podEvents)
                .contains("DELETED " + first.getMetadata().getName());
        assertThat(cluster.alivePodProcesses()).isEmpty();
    }

    @Test
    void oomKillsAreCountedAgainstTheBackoffLimit() throws Exception {
        V1Job job = TestJobs.failurePolicy(TestJobs.shell("hungry", "exec sleep 60"), 3);
        job.getSpec().backoffLimit(1);
        batch.createNamespacedJob(NS, job).execute();

        V1Pod first = informers.awaitPod(TestJobs::running, WAIT);
        cluster.oomKill(first.getMetadata().getName());
        V1Pod killed = informers.awaitPod(
                p -> p.getMetadata().getName().equals(first.getMetadata().getName())
                        && "Failed".equals(TestJobs.phase(p)),
                WAIT);
        assertThat(state(killed).getTerminated().getExitCode()).isEqualTo(137);
        assertThat(state(killed).getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(podCondition(killed, "DisruptionTarget")).isNull();

        V1Pod second = informers.awaitPod(
                p -> TestJobs.running(p)
                        && !p.getMetadata().getName().equals(first.getMetadata().getName()),
                WAIT);
        cluster.oomKill(second.getMetadata().getName());

        V1Job failed = informers.awaitJob(j -> TestJobs.hasCondition(j, "Failed"), WAIT);
        assertThat(TestJobs.condition(failed, "Failed").getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.getStatus().getFailed()).isEqualTo(2);
    }

    /** A runtime that cannot start containers: StartError, exit 128, counted like any failure (kubelet, containerd). */
    @Test
    void containerStartsTheRuntimeFailsEndStartErrorAndCountAgainstTheBackoffLimit() throws Exception {
        cluster.failContainerStarts(2);
        V1Job job = TestJobs.failurePolicy(TestJobs.shell("unlucky", "exit 0"), 3);
        job.getSpec().backoffLimit(1);
        batch.createNamespacedJob(NS, job).execute();

        V1Job failed = informers.awaitJob(j -> TestJobs.hasCondition(j, "Failed"), WAIT);
        assertThat(TestJobs.condition(failed, "Failed").getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.getStatus().getFailed()).isEqualTo(2);
        assertThat(cluster.pods()).hasSize(2).allSatisfy(p -> {
            assertThat(state(p).getTerminated().getExitCode()).isEqualTo(128);
            assertThat(state(p).getTerminated().getReason()).isEqualTo("StartError");
            assertThat(state(p).getTerminated().getMessage()).startsWith("failed to create containerd task: ");
        });

        // Used up: the next container starts.
        batch.createNamespacedJob(NS, TestJobs.shell("lucky", "exit 0")).execute();
        assertThat(informers
                        .awaitJob(
                                j -> j.getMetadata().getName().equals("lucky") && TestJobs.hasCondition(j, "Complete"),
                                WAIT)
                        .getStatus()
                        .getSucceeded())
                .isEqualTo(1);
    }

    @Test
    void unschedulablePodsSayWhyAndStartWhenCapacityFrees() throws Exception {
        batch.createNamespacedJob(NS, TestJobs.cpu(TestJobs.shell("big", "exit 0"), "2500m"))
                .execute();
        V1Job picky = TestJobs.shell("picky", "exit 0");
        picky.getSpec().getTemplate().getSpec().nodeSelector(Map.of("gpu", "true"));
        batch.createNamespacedJob(NS, picky).execute();

        V1Pod big = informers.awaitPod(p -> "big".equals(TestJobs.jobOf(p)) && unschedulable(p), WAIT);
        assertThat(podCondition(big, "PodScheduled").getMessage())
                .isEqualTo("0/3 nodes are available: 3 Insufficient cpu. "
                        + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
        assertThat(TestJobs.phase(big)).isEqualTo("Pending");
        V1Pod pickyPod = informers.awaitPod(p -> "picky".equals(TestJobs.jobOf(p)) && unschedulable(p), WAIT);
        assertThat(podCondition(pickyPod, "PodScheduled").getMessage())
                .startsWith("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");

        cluster.setCpu("node-b", 4000);
        V1Job done = informers.awaitJob(
                j -> j.getMetadata().getName().equals("big") && TestJobs.hasCondition(j, "Complete"), WAIT);
        assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(cluster.pod(pickyPod.getMetadata().getName())
                        .orElseThrow()
                        .getSpec()
                        .getNodeName())
                .isNull();
    }

    /**
     * ResourceQuota docs: a create that would exceed a quota fails with 403 Forbidden naming the
     * constraint. For a Job that leaves no pod and no condition; the Job controller records a
     * FailedCreate Warning event with the apiserver's message and retries with backoff, so the pod
     * appears once the quota allows it.
     */
    @Test
    void aQuotaThatRefusesThePodLeavesTheJobPodlessWithFailedCreateEventsUntilItAllows() throws Exception {
        cluster.createRetry(Duration.ofMillis(50));
        cluster.quota(NS, "compute", 100);
        batch.createNamespacedJob(NS, TestJobs.cpu(TestJobs.shell("greedy", "exit 0"), "500m"))
                .execute();

        cluster.await(
                () -> failedCreates("greedy").stream().anyMatch(e -> e.getCount() >= 2),
                WAIT,
                "a FailedCreate event repeated by the retries");
        CoreV1Event event = failedCreates("greedy").get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage())
                .isEqualTo("Error creating: pods \"greedy-\" is forbidden: exceeded quota: compute, "
                        + "requested: requests.cpu=500m, used: requests.cpu=0, limited: requests.cpu=100m");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Job");
        assertThat(event.getSource().getComponent()).isEqualTo("job-controller");
        assertThat(cluster.pods()).as("pods").isEmpty();
        V1Job podless = cluster.job("greedy").orElseThrow();
        assertThat(podless.getStatus().getConditions()).as("conditions").isNullOrEmpty();
        assertThat(podless.getStatus().getActive()).isZero();

        cluster.removeQuota(NS);
        informers.awaitJob(j -> TestJobs.hasCondition(j, "Complete"), WAIT);
        assertThat(core.listNamespacedEvent(NS)
                        .fieldSelector("involvedObject.name=greedy,reason=SuccessfulCreate")
                        .execute()
                        .getItems())
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).startsWith("Created pod: greedy-"));
    }

    /**
     * ServiceAccount admission: a pod naming an account that does not exist is refused, to a
     * client and to the Job controller alike, with "serviceaccount ... not found".
     */
    @Test
    void aMissingServiceAccountRefusesThePodsOfAJobAndOfAClient() throws Exception {
        cluster.createRetry(Duration.ofMillis(50));
        cluster.removeServiceAccount(NS, "worker");
        V1Job job = TestJobs.shell("no-account", "exit 0");
        job.getSpec().getTemplate().getSpec().serviceAccountName("worker");
        batch.createNamespacedJob(NS, job).execute();
        batch.createNamespacedJob(NS, TestJobs.shell("other", "exit 0")).execute();

        cluster.await(() -> !failedCreates("no-account").isEmpty(), WAIT, "a FailedCreate event");
        assertThat(failedCreates("no-account"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage())
                        .isEqualTo(
                                "Error creating: pods \"no-account-\" is forbidden: error looking up service account vidbatch/worker: "
                                        + "serviceaccount \"worker\" not found"));
        informers.awaitJob(
                j -> j.getMetadata().getName().equals("other") && TestJobs.hasCondition(j, "Complete"), WAIT);
        assertThat(failedCreates("other")).as("the other Job's events").isEmpty();
        V1Pod direct = new V1Pod()
                .metadata(new io.kubernetes.client.openapi.models.V1ObjectMeta().name("direct"))
                .spec(Json.copy(job.getSpec().getTemplate().getSpec()));
        assertThatThrownBy(() -> core.createNamespacedPod(NS, direct).execute())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getResponseBody())
                            .contains("is forbidden: error looking up service account vidbatch/worker");
                });
        cluster.restoreServiceAccount(NS, "worker");
        informers.awaitJob(
                j -> j.getMetadata().getName().equals("no-account") && TestJobs.hasCondition(j, "Complete"), WAIT);
    }

    private List<CoreV1Event> failedCreates(String job) {
        try {
            return core.listNamespacedEvent(NS)
                    .fieldSelector("involvedObject.kind=Job,involvedObject.name=" + job + ",reason=FailedCreate")
                    .execute()
                    .getItems();
        } catch (ApiException e) {
            throw new AssertionError("listing events: HTTP " + e.getCode() + " " + e.getResponseBody(), e);
        }
    }

    @Test
    void anImageThatCannotBePulledLeavesThePodWaiting() throws Exception {
        cluster.failImagePull("registry.example/missing:.*");
        V1Job job = TestJobs.shell("no-image", "exit 0");
        TestJobs.container(job).image("registry.example/missing:1.0");
        batch.createNamespacedJob(NS, job).execute();

        // ErrImagePull turns into ImagePullBackOff soon after; a busy machine's informer may see only the latter.
        V1Pod pulling = informers.awaitPod(
                p -> "ErrImagePull".equals(waiting(p)) || "ImagePullBackOff".equals(waiting(p)), WAIT);
        assertThat(TestJobs.phase(pulling)).isEqualTo("Pending");
        V1Pod backingOff = informers.awaitPod(p -> "ImagePullBackOff".equals(waiting(p)), WAIT);
        assertThat(state(backingOff).getWaiting().getMessage())
                .isEqualTo("Back-off pulling image \"registry.example/missing:1.0\"");
        expectCode(
                400,
                () -> core.readNamespacedPodLog(backingOff.getMetadata().getName(), NS)
                        .execute());
        assertThat(cluster.alivePodProcesses()).isEmpty();

        cluster.clearImagePullFailures();
        informers.awaitJob(j -> TestJobs.hasCondition(j, "Complete"), WAIT);
    }

    @Test
    void backgroundDeletionStopsThePodsProcessWithinItsGracePeriod() throws Exception {
        // Ignores SIGTERM, so only the SIGKILL at the end of the 1 s grace period stops it.
        V1Job job = TestJobs.shell("stubborn", "trap '' TERM; while true; do sleep 0.1; done");
        job.getSpec().getTemplate().getSpec().terminationGracePeriodSeconds(1L);
        batch.createNamespacedJob(NS, job).execute();
        V1Pod pod = informers.awaitPod(TestJobs::running, WAIT);
        assertThat(cluster.alivePodProcesses())
                .containsExactly(pod.getMetadata().getName());

        long start = System.nanoTime();
        batch.deleteNamespacedJob("stubborn", NS)
                .propagationPolicy("Background")
                .execute();

        cluster.await(() -> cluster.alivePodProcesses().isEmpty(), Duration.ofSeconds(5), "the process to die");
        // Not before its grace period ran out: the SIGTERM alone did not stop it. (How soon after is the
        // machine's speed, not the simulator's behaviour.)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        Informers.waitFor(
                () -> informers.podEvents.contains(
                        "DELETED " + pod.getMetadata().getName()),
                WAIT,
                "the pod to go");
        assertThat(cluster.jobs()).isEmpty();
    }

    @Test
    void deletingAJobWithoutAPolicyOrphansItsPodAsBatchV1Does() throws Exception {
        batch.createNamespacedJob(NS, TestJobs.shell("leaky", "exec sleep 60")).execute();
        V1Pod pod = informers.awaitPod(TestJobs::running, WAIT);

        var response = batch.deleteNamespacedJob("leaky", NS).executeWithHttpInfo();

        assertThat(response.getHeaders().get("Warning"))
                .singleElement()
                .asString()
                .contains("child pods are preserved by default");
        cluster.await(() -> cluster.jobs().isEmpty(), WAIT, "the job to go");
        assertThat(cluster.alivePodProcesses())
                .containsExactly(pod.getMetadata().getName());
        assertThat(cluster.pod(pod.getMetadata().getName())
                        .orElseThrow()
                        .getMetadata()
                        .getOwnerReferences())
                .isEmpty();
    }

    private static boolean unschedulable(V1Pod p) {
        V1PodCondition c = TestJobs.condition(p, "PodScheduled");
        return c != null && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason());
    }

    private static String waiting(V1Pod p) {
        if (p.getStatus() == null
                || p.getStatus().getContainerStatuses() == null
                || p.getStatus().getContainerStatuses().isEmpty()) {
            return null;
        }
        V1ContainerState s = p.getStatus().getContainerStatuses().get(0).getState();
        return s.getWaiting() == null ? null : s.getWaiting().getReason();
    }

    static V1PodCondition podCondition(V1Pod pod, String type) {
        return TestJobs.condition(pod, type);
    }

    static V1ContainerState state(V1Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0).getState();
    }

    static void expectCode(int code, ThrowingCall call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getCode()).isEqualTo(code));
    }

    interface ThrowingCall {
        void run() throws Exception;
    }
}
