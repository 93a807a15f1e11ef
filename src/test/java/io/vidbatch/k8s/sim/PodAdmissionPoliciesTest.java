package io.vidbatch.k8s.sim;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vidbatch.k8s.sim.TestJobs.NS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pod Security admission and LimitRanger on pods a client creates: each check's message as the
 * plugin words it (https://kubernetes.io/docs/concepts/security/pod-security-admission/,
 * https://kubernetes.io/docs/concepts/policy/limit-range/).
 */
class PodAdmissionPoliciesTest {
    private SimulatedCluster cluster;
    private CoreV1Api core;

    @BeforeEach
    void start() throws Exception {
        cluster = SimulatedCluster.start("node-a");
        core = new CoreV1Api(cluster.apiClient());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void restrictedNamesEveryViolationInThePluginsOrder() {
        cluster.podSecurity(NS, "restricted");
        V1Pod pod = pod("plain");
        assertThat(refused(pod))
                .isEqualTo("pods \"plain\" is forbidden: violates PodSecurity \"restricted:latest\": "
                        + "allowPrivilegeEscalation != false (container \"main\" must set securityContext.allowPrivilegeEscalation=false), "
                        + "unrestricted capabilities (container \"main\" must set securityContext.capabilities.drop=[\"ALL\"]), "
                        + "runAsNonRoot != true (pod or container \"main\" must set securityContext.runAsNonRoot=true), "
                        + "seccompProfile (pod or container \"main\" must set securityContext.seccompProfile.type to "
                        + "\"RuntimeDefault\" or \"Localhost\")");
    }

    @Test
    void restrictedRefusesPrivilegedContainersAddedCapabilitiesAndHostPaths() {
        cluster.podSecurity(NS, "restricted");
        V1Pod pod = hardened(pod("host"));
        pod.getSpec().addVolumesItem(new V1Volume().name("root").hostPath(new V1HostPathVolumeSource().path("/")));
        pod.getSpec()
                .getContainers()
                .get(0)
                .addVolumeMountsItem(new V1VolumeMount().name("root").mountPath("/host"));
        V1SecurityContext sc = pod.getSpec().getContainers().get(0).getSecurityContext();
        // Validation refuses privileged with allowPrivilegeEscalation=false (422) before admission sees it.
        sc.privileged(true)
                .allowPrivilegeEscalation(null)
                .getCapabilities()
                .add(List.of("NET_BIND_SERVICE", "SYS_ADMIN"));
        assertThat(refused(pod))
                .isEqualTo("pods \"host\" is forbidden: violates PodSecurity \"restricted:latest\": "
                        + "hostPath volumes (volume \"root\"), privileged (container \"main\" must not set securityContext.privileged=true), "
                        + "allowPrivilegeEscalation != false (container \"main\" must set securityContext.allowPrivilegeEscalation=false), "
                        + "unrestricted capabilities (container \"main\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add), "
                        + "restricted volume types (volume \"root\" uses restricted volume type \"hostPath\")");

        cluster.podSecurity(NS, "baseline");
        assertThat(refused(pod))
                .isEqualTo(
                        "pods \"host\" is forbidden: violates PodSecurity \"baseline:latest\": "
                                + "non-default capabilities (container \"main\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add), "
                                + "hostPath volumes (volume \"root\"), privileged (container \"main\" must not set securityContext.privileged=true)");
    }

    @Test
    void aHardenedPodPassesRestrictedAndOnlyNetBindServiceMayBeAdded() throws Exception {
        cluster.podSecurity(NS, "restricted");
        V1Pod pod = hardened(pod("hardened"));
        pod.getSpec()
                .getContainers()
                .get(0)
                .getSecurityContext()
                .getCapabilities()
                .add(List.of("NET_BIND_SERVICE"));
        assertThat(core.createNamespacedPod(NS, pod).execute().getMetadata().getName())
                .isEqualTo("hardened");
    }

    @Test
    void aLimitRangeDefaultsMissingMemoryAndRefusesMoreThanItsMax() throws Exception {
        cluster.limitRange(NS, "1Gi");
        V1Pod over = pod("over");
        over.getSpec()
                .getContainers()
                .get(0)
                .resources(new io.kubernetes.client.openapi.models.V1ResourceRequirements()
                        .limits(java.util.Map.of("memory", Quantity.fromString("2Gi"))));
        assertThat(refused(over))
                .isEqualTo("pods \"over\" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi");

        V1Pod defaulted = core.createNamespacedPod(NS, pod("defaulted")).execute();
        assertThat(defaulted.getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("memory", Quantity.fromString("1Gi"));
        assertThat(defaulted.getSpec().getContainers().get(0).getResources().getRequests())
                .containsEntry("memory", Quantity.fromString("1Gi"));
        assertThat(defaulted.getStatus().getQosClass()).isEqualTo("Burstable");
    }

    private static V1Pod pod(String name) {
        return new V1Pod()
                .metadata(new V1ObjectMeta().name(name))
                .spec(TestJobs.shell(name, "exit 0").getSpec().getTemplate().getSpec());
    }

    private static V1Pod hardened(V1Pod pod) {
        pod.getSpec()
                .securityContext(new V1PodSecurityContext()
                        .runAsNonRoot(true)
                        .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")));
        pod.getSpec()
                .getContainers()
                .get(0)
                .securityContext(new V1SecurityContext()
                        .allowPrivilegeEscalation(false)
                        .capabilities(new V1Capabilities().drop(List.of("ALL"))));
        return pod;
    }

    private String refused(V1Pod pod) {
        try {
            core.createNamespacedPod(NS, pod).execute();
        } catch (ApiException e) {
            assertThat(e.getCode()).isEqualTo(403);
            V1Status status = Json.read(e.getResponseBody(), V1Status.class);
            assertThat(status.getReason()).isEqualTo("Forbidden");
            return status.getMessage();
        }
        throw new AssertionError("pod " + pod.getMetadata().getName() + " was created");
    }
}
