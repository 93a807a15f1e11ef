package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.WorkJson;
import io.vidbatch.work.WorkJsonTestAccess;
import io.vidbatch.work.WorkResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How a worker Job and its pods are read, whatever order the events came in. */
class JobStateTest {

    static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-29T12:00:00Z");
    static final Duration PENDING = Duration.ofSeconds(60);

    static V1Job job(String condition, String reason) {
        V1JobStatus status = new V1JobStatus();
        if (condition != null) {
            status.conditions(
                    List.of(new V1JobCondition().type(condition).status("True").reason(reason)));
        }
        return new V1Job().metadata(new V1ObjectMeta().name("vb-7-3")).status(status);
    }

    static V1Pod terminated(String phase, int exit, String reason, String message) {
        return new V1Pod()
                .metadata(new V1ObjectMeta().name("vb-7-3-abcde").creationTimestamp(NOW.minusSeconds(10)))
                .status(new V1PodStatus()
                        .phase(phase)
                        .containerStatuses(List.of(new V1ContainerStatus()
                                .name("worker")
                                .state(new V1ContainerState()
                                        .terminated(new V1ContainerStateTerminated()
                                                .exitCode(exit)
                                                .reason(reason)
                                                .message(message))))));
    }

    static V1Pod pending(int ageSeconds, V1PodCondition condition, V1ContainerStateWaiting waiting) {
        V1PodStatus status = new V1PodStatus().phase("Pending");
        if (condition != null) {
            status.conditions(List.of(condition));
        }
        if (waiting != null) {
            status.containerStatuses(
                    List.of(new V1ContainerStatus().name("worker").state(new V1ContainerState().waiting(waiting))));
        }
        return new V1Pod()
                .metadata(new V1ObjectMeta().name("vb-7-3-abcde").creationTimestamp(NOW.minusSeconds(ageSeconds)))
                .status(status);
    }

    @Test
    void aCompleteJobGivesTheWorkersResult() {
        WorkResult r = new WorkResult("/out/x.mp4", 1, 2, 3, 4, 5, true, 6, 7, "w", 8);
        JobState s = JobState.of(
                job("Complete", null),
                List.of(terminated("Succeeded", 0, "Completed", WorkJson.writeOutcomes(List.of(Outcome.done(r))))),
                NOW,
                PENDING);
        assertThat(s.kind()).isEqualTo(JobState.Kind.DONE);
        assertThat(s.outcomes()).hasSize(1);
        assertThat(s.outcomes().get(0).placed(WorkJsonTestAccess.ITEM, "w").result())
                .isEqualTo(new WorkResult(WorkJsonTestAccess.ITEM.output(), 1, 2, 3, 4, 5, true, 6, 7, "w", 8));
    }

    @Test
    void aCompleteJobIsReadPastARuntimePrefixAndItemsWhoseOutcomeDidNotFitFailSayingSo() {
        WorkResult r = new WorkResult("/out/x.mp4", 1, 2, 3, 4, 5, true, 6, 7, "w", 8);
        String message = "containerd: task exited: {\"outcomes\":[{\"status\":\"DONE\",\"result\":" + WorkJson.write(r)
                + "}],\"truncated\":1}";
        JobState s = JobState.of(
                job("Complete", null), List.of(terminated("Succeeded", 0, "Completed", message)), NOW, PENDING);
        assertThat(s.kind()).isEqualTo(JobState.Kind.DONE);
        assertThat(s.outcomes()).hasSize(2);
        assertThat(s.outcomes().get(0).done()).isTrue();
        assertThat(s.outcomes().get(1).status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(s.outcomes().get(1).message()).contains("only 1 of 2 outcomes fit");
    }

    @Test
    void aCompleteJobWhoseMessageCannotBeReadSaysWhatItHeld() {
        JobState s = JobState.of(
                job("Complete", null),
                List.of(terminated("Succeeded", 0, "Completed", "ome\":\"DONE\"}]}")),
                NOW,
                PENDING);
        assertThat(s.kind()).isEqualTo(JobState.Kind.FAILED);
        assertThat(s.message())
                .startsWith(
                        "the worker finished without a readable result: its termination message holds no complete outcome");
    }

    @Test
    void aCompleteJobWhosePodIsNotInTheCacheYetIsNotFinished() {
        JobState s = JobState.of(job("Complete", null), List.of(), NOW, PENDING);
        assertThat(s.kind()).isEqualTo(JobState.Kind.COMPLETING);
        assertThat(s.finished()).isFalse();
        V1Pod stillRunning = new V1Pod()
                .metadata(new V1ObjectMeta().name("vb-7-3-abcde").creationTimestamp(NOW))
                .status(new V1PodStatus().phase("Running"));
        assertThat(JobState.of(job("Complete", null), List.of(stillRunning), NOW, PENDING)
                        .kind())
                .isEqualTo(JobState.Kind.COMPLETING);
    }

    @Test
    void badInputFailsThroughThePodFailurePolicyWithTheWorkersReason() {
        JobState s = JobState.of(job("Failed", "PodFailurePolicy"), List.of(badInputPod()), NOW, PENDING);
        assertThat(s.kind()).isEqualTo(JobState.Kind.BAD_INPUT);
        assertThat(s.message()).isEqualTo("moov atom not found");
    }

    @Test
    void podsThatRanOutOfMemoryEveryTimeEndTheItemsSayingSoWithTheLimit() {
        V1Pod a = terminated("Failed", 137, "OOMKilled", null);
        a.spec(new V1PodSpec()
                .containers(List.of(new V1Container()
                        .name("worker")
                        .resources(
                                new V1ResourceRequirements().limits(Map.of("memory", Quantity.fromString("2Gi")))))));
        JobState s = JobState.of(
                job("Failed", "BackoffLimitExceeded"),
                List.of(a, terminated("Failed", 137, "OOMKilled", null)),
                NOW,
                PENDING);
        assertThat(s.kind()).isEqualTo(JobState.Kind.EXHAUSTED);
        assertThat(s.message())
                .isEqualTo("Job vb-7-3 failed (BackoffLimitExceeded): its pod ran out of memory 2 times "
                        + "(OOMKilled at the memory limit 2Gi); raise k8s.memory.limit");
    }

    @Test
    void podsTheClusterCouldNotRunAreNotTheFilesFaultAndAreWorthAnotherJob() {
        String runtime = "failed to create containerd task: failed to create shim task: OCI runtime create failed";
        V1Pod killedFfmpeg = terminated(
                "Failed", 1, "Error", WorkJson.writeOutcomes(List.of(Outcome.failed("ffmpeg was killed by signal 9"))));
        JobState s = JobState.of(
                job("Failed", "BackoffLimitExceeded"),
                List.of(
                        terminated("Failed", 128, "StartError", runtime),
                        terminated("Failed", 128, "StartError", runtime),
                        killedFfmpeg),
                NOW,
                PENDING);
        assertThat(s.kind()).isEqualTo(JobState.Kind.FAILED);
        assertThat(JobState.of(job("Failed", "BackoffLimitExceeded"), List.of(), NOW, PENDING)
                        .kind())
                .as("failed pods not in the cache yet")
                .isEqualTo(JobState.Kind.COMPLETING);
        assertThat(s.message())
                .isEqualTo("Job vb-7-3 failed (BackoffLimitExceeded): its pods failed 3 times, not for a reason "
                        + "in the file: StartError (exit 128): " + runtime
                        + " (x2); Error (exit 1): ffmpeg was killed by signal 9");
    }

    @Test
    void kubernetes131sFirstConditionsEndTheJobAsTheLaterOnesWould() {
        JobState bad = JobState.of(job("FailureTarget", "PodFailurePolicy"), List.of(badInputPod()), NOW, PENDING);
        assertThat(bad.kind()).isEqualTo(JobState.Kind.BAD_INPUT);
        WorkResult r = new WorkResult("/out/x.mp4", 1, 2, 3, 4, 5, true, 6, 7, "w", 8);
        JobState done = JobState.of(
                job("SuccessCriteriaMet", null),
                List.of(terminated("Succeeded", 0, "Completed", WorkJson.writeOutcomes(List.of(Outcome.done(r))))),
                NOW,
                PENDING);
        assertThat(done.kind()).isEqualTo(JobState.Kind.DONE);
    }

    @Test
    void aPodWhoseVolumeNeverMountsEndsAtThePendingTimeout() {
        V1ContainerStateWaiting creating = new V1ContainerStateWaiting().reason("ContainerCreating");
        assertThat(JobState.of(job(null, null), List.of(pending(30, null, creating)), NOW, PENDING)
                        .kind())
                .isEqualTo(JobState.Kind.STARTING);
        JobState late = JobState.of(job(null, null), List.of(pending(61, null, creating)), NOW, PENDING);
        assertThat(late.kind()).isEqualTo(JobState.Kind.UNAVAILABLE);
        assertThat(late.message()).isEqualTo("pod vb-7-3-abcde has not started for 60 s: ContainerCreating");
        assertThat(JobState.of(job(null, null), List.of(pending(61, null, null)), NOW, PENDING)
                        .message())
                .isEqualTo("pod vb-7-3-abcde has not started for 60 s: Pending");
    }

    @Test
    void aPodStuckTerminatingOnAnUnreachableNodeEndsTheGroupOnceItsGraceIsLongOver() {
        V1Pod pod = new V1Pod()
                .metadata(new V1ObjectMeta()
                        .name("vb-7-3-abcde")
                        .creationTimestamp(NOW.minusSeconds(900))
                        .deletionTimestamp(NOW.minusSeconds(30)))
                .spec(new V1PodSpec().nodeName("node-b"))
                .status(new V1PodStatus()
                        .phase("Running")
                        .conditions(List.of(new V1PodCondition()
                                .type("DisruptionTarget")
                                .status("True")
                                .reason("DeletionByTaintManager")
                                .message("Taint manager: deleting due to NoExecute taint"))));
        assertThat(JobState.of(job(null, null), List.of(pod), NOW, PENDING).kind())
                .isEqualTo(JobState.Kind.RUNNING);

        pod.getMetadata().deletionTimestamp(NOW.minusSeconds(61));
        JobState s = JobState.of(job(null, null), List.of(pod), NOW, PENDING);
        assertThat(s.kind()).isEqualTo(JobState.Kind.UNAVAILABLE);
        assertThat(s.message())
                .startsWith(
                        "pod vb-7-3-abcde on node node-b is still terminating 61 s after its grace period ended "
                                + "(DeletionByTaintManager: Taint manager: deleting due to NoExecute taint): its node is unreachable")
                .contains("kubectl delete node node-b");
    }

    @Test
    void aPodThatCannotBeScheduledIsGivenTimeThenReported() {
        V1PodCondition unschedulable = new V1PodCondition()
                .type("PodScheduled")
                .status("False")
                .reason("Unschedulable")
                .message("0/3 nodes are available: 3 Insufficient cpu.");
        assertThat(JobState.of(job(null, null), List.of(pending(10, unschedulable, null)), NOW, PENDING)
                        .kind())
                .isEqualTo(JobState.Kind.STARTING);
        JobState late = JobState.of(job(null, null), List.of(pending(61, unschedulable, null)), NOW, PENDING);
        assertThat(late.kind()).isEqualTo(JobState.Kind.UNAVAILABLE);
        assertThat(late.message())
                .isEqualTo(
                        "pod vb-7-3-abcde has not started for 60 s: Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.");
    }

    @Test
    void anImageThatCannotBePulledIsReported() {
        JobState s = JobState.of(
                job(null, null),
                List.of(pending(
                        120,
                        null,
                        new V1ContainerStateWaiting()
                                .reason("ImagePullBackOff")
                                .message("Back-off pulling image \"nope:1\""))),
                NOW,
                PENDING);
        assertThat(s.kind()).isEqualTo(JobState.Kind.UNAVAILABLE);
        assertThat(s.message()).endsWith("ImagePullBackOff: Back-off pulling image \"nope:1\"");
    }

    @Test
    void anEvictedPodBeingReplacedKeepsTheJobRunning() {
        V1Pod evicted = terminated("Failed", 143, "Error", null);
        evicted.getStatus()
                .conditions(
                        List.of(new V1PodCondition().type("DisruptionTarget").status("True")));
        V1Pod replacement = new V1Pod()
                .metadata(new V1ObjectMeta().name("vb-7-3-fghij").creationTimestamp(NOW))
                .status(new V1PodStatus().phase("Running"));
        assertThat(JobState.of(job(null, null), List.of(evicted, replacement), NOW, PENDING)
                        .kind())
                .isEqualTo(JobState.Kind.RUNNING);
    }

    @Test
    void aJobNotInTheCacheIsMissing() {
        assertThat(JobState.of(null, List.of(), NOW, PENDING).kind()).isEqualTo(JobState.Kind.MISSING);
    }

    /** A pod whose worker found its only item bad input and exited 3. */
    private static V1Pod badInputPod() {
        return terminated(
                "Failed", 3, "Error", WorkJson.writeOutcomes(List.of(Outcome.badInput("moov atom not found"))));
    }
}
