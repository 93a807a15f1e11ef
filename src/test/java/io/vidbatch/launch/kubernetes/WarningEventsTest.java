package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.vidbatch.k8s.sim.SimulatedCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reason a user reads when a Job's pods are never created. */
class WarningEventsTest {

    static final OffsetDateTime T = OffsetDateTime.parse("2026-11-29T12:00:00Z");

    static CoreV1Event event(String uid, String reason, String message, OffsetDateTime last) {
        return new CoreV1Event()
                .involvedObject(
                        new V1ObjectReference().kind("Job").name("vb-7-3").uid(uid))
                .reason(reason)
                .message(message)
                .lastTimestamp(last);
    }

    @Test
    void theLatestFailedCreateOfThisJobIsTheReasonWithoutTheApiserversPreamble() {
        List<CoreV1Event> events = List.of(
                event(
                        "u1",
                        "FailedCreate",
                        "Error creating: pods \"vb-7-3-\" is forbidden: error looking up service account "
                                + "vidbatch/vidbatch-worker: serviceaccount \"vidbatch-worker\" not found",
                        T),
                event(
                        "u1",
                        "FailedCreate",
                        "Error creating: pods \"vb-7-3-x2k4p\" is forbidden: exceeded quota: compute, "
                                + "requested: requests.cpu=1, used: requests.cpu=4, limited: requests.cpu=4",
                        T.plusSeconds(5)),
                event("u1", "SuccessfulDelete", "Deleted pod: vb-7-3-abcde", T.plusSeconds(9)),
                // An earlier Job of the same name: its events outlive it.
                event(
                        "u0",
                        "FailedCreate",
                        "Error creating: pods \"vb-7-3-\" is forbidden: something long fixed",
                        T.plusSeconds(60)));

        assertThat(WarningEvents.explain(events, "u1"))
                .hasValue(
                        "exceeded quota: compute, requested: requests.cpu=1, used: requests.cpu=4, limited: requests.cpu=4");
    }

    @Test
    void aWebhooksRefusalIsGivenAsTheWebhookSaidIt() {
        List<CoreV1Event> events = List.of(event(
                "u1",
                "FailedCreate",
                "Error creating: admission webhook \"policy.example.com\" denied the request: images must come from registry.example",
                T));
        assertThat(WarningEvents.explain(events, "u1"))
                .hasValue(
                        "admission webhook \"policy.example.com\" denied the request: images must come from registry.example");
    }

    @Test
    void noFailedCreateEventGivesNothing() {
        assertThat(WarningEvents.explain(
                        List.of(event("u1", "SuccessfulCreate", "Created pod: vb-7-3-abcde", T)), "u1"))
                .isEmpty();
    }

    /** Through client-java against the simulator's Job controller, as the launcher reads them. */
    @Test
    void aJobWhosePodsAServiceAccountCannotRunIsExplainedFromItsEvents() throws Exception {
        try (SimulatedCluster cluster = SimulatedCluster.start("node-a")) {
            cluster.removeServiceAccount("vidbatch", "vidbatch-worker");
            V1Job created = new BatchV1Api(cluster.apiClient())
                    .createNamespacedJob("vidbatch", job("vb-7-3"))
                    .execute();
            CoreV1Api core = new CoreV1Api(cluster.apiClient());

            String[] reason = new String[1];
            cluster.await(
                    () -> {
                        try {
                            reason[0] = WarningEvents.reason(core, "vidbatch", created, Duration.ofSeconds(300));
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        return reason[0].contains("not found");
                    },
                    Duration.ofSeconds(10),
                    "a FailedCreate event");

            assertThat(reason[0])
                    .isEqualTo("no pod could be created for Job vb-7-3 in 300 s: error looking up service account "
                            + "vidbatch/vidbatch-worker: serviceaccount \"vidbatch-worker\" not found");
            assertThat(cluster.pods()).isEmpty();
            assertThat(cluster.api().rbacVerbs()).contains("list events").isSubsetOf(KubernetesLauncher.API_CALLS);
        }
    }

    private static V1Job job(String name) {
        return new V1Job()
                .metadata(new V1ObjectMeta().name(name))
                .spec(new V1JobSpec()
                        .backoffLimit(0)
                        .template(new V1PodTemplateSpec()
                                .spec(new V1PodSpec()
                                        .restartPolicy("Never")
                                        .serviceAccountName("vidbatch-worker")
                                        .containers(List.of(new V1Container()
                                                .name("worker")
                                                .image("busybox:1.36")
                                                .command(List.of("true")))))));
    }
}
