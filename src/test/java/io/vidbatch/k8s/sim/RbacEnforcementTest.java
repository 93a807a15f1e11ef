package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.vidbatch.k8s.sim.TestJobs.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The product's own Role enforced: what it grants works, anything else is 403 Forbidden with the
 * message RBAC gives ("User ... cannot VERB resource ... in API group ... in the namespace ...",
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/).
 */
class RbacEnforcementTest {
    private static final String USER = "system:serviceaccount:vidbatch:vidbatch-coordinator";

    private FakeApiServer server;
    private BatchV1Api batch;
    private CoreV1Api core;

    @BeforeEach
    void start() throws Exception {
        server = FakeApiServer.start();
        server.enforceRole(Path.of("kubernetes/base/rbac-launcher.yaml"));
        batch = new BatchV1Api(server.apiClient());
        core = new CoreV1Api(server.apiClient());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void whatTheRoleGrantsIsAllowed() throws Exception {
        batch.createNamespacedJob(NS, TestJobs.shell("granted", "exit 0")).execute();
        assertThat(batch.readNamespacedJob("granted", NS)
                        .execute()
                        .getMetadata()
                        .getName())
                .isEqualTo("granted");
        assertThat(core.listNamespacedPod(NS).execute().getItems()).isEmpty();
        assertThat(core.listNamespacedEvent(NS).execute().getItems()).isEmpty();
        batch.deleteNamespacedJob("granted", NS).propagationPolicy("Foreground").execute();

        assertThat(server.requests()).extracting(RecordedRequest::status).containsOnly(200, 201);
    }

    @Test
    void getOnAPodIsForbiddenBecauseOnlyListAndWatchAreGranted() {
        assertThatThrownBy(() -> core.readNamespacedPod("worker-1", NS).execute())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    V1Status status = Json.read(e.getResponseBody(), V1Status.class);
                    assertThat(status.getReason()).isEqualTo("Forbidden");
                    assertThat(status.getMessage())
                            .isEqualTo(
                                    "pods \"worker-1\" is forbidden: User \"" + USER
                                            + "\" cannot get resource \"pods\" in API group \"\" in the namespace \"vidbatch\"");
                    assertThat(status.getDetails().getKind()).isEqualTo("pods");
                    assertThat(status.getDetails().getName()).isEqualTo("worker-1");
                });
    }

    @Test
    void creatingAPodOrWatchingEventsIsForbidden() throws Exception {
        V1Pod pod = new V1Pod()
                .metadata(new io.kubernetes.client.openapi.models.V1ObjectMeta().name("direct"))
                .spec(TestJobs.shell("x", "exit 0").getSpec().getTemplate().getSpec());
        assertThatThrownBy(() -> core.createNamespacedPod(NS, pod).execute())
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getResponseBody())
                                .contains(
                                        "pods is forbidden: User \\\"" + USER
                                                + "\\\" cannot create resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"vidbatch\\\""));
        // A list with ?watch=true is the verb watch, which the Role does not grant on events.
        HttpResponse<String> watch = raw("/api/v1/namespaces/" + NS + "/events?watch=true");
        assertThat(watch.statusCode()).isEqualTo(403);
        assertThat(watch.body()).contains("cannot watch resource \\\"events\\\"");
        assertThat(server.store().peekAll(ResourceKind.POD)).isEmpty();
    }

    @Test
    void aJobIsForbiddenOutsideTheRolesNamespaceAndAcrossNamespaces() {
        assertThatThrownBy(() -> batch.deleteNamespacedJob("x", "other").execute())
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(Json.read(e.getResponseBody(), V1Status.class)
                                        .getMessage())
                                .isEqualTo(
                                        "jobs.batch \"x\" is forbidden: User \"" + USER
                                                + "\" cannot delete resource \"jobs\" in API group \"batch\" in the namespace \"other\""));
        assertThatThrownBy(() -> batch.listJobForAllNamespaces().execute())
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(Json.read(e.getResponseBody(), V1Status.class)
                                        .getMessage())
                                .isEqualTo(
                                        "jobs.batch is forbidden: User \"" + USER
                                                + "\" cannot list resource \"jobs\" in API group \"batch\" at the cluster scope"));
    }

    @Test
    void theLogSubresourceIsAuthorizedApartFromItsPod() throws Exception {
        HttpResponse<String> log = raw("/api/v1/namespaces/" + NS + "/pods/worker-1/log");
        assertThat(log.statusCode())
                .as("granted, so it reaches the handler: no such pod")
                .isEqualTo(404);
        HttpResponse<String> status = raw("/api/v1/namespaces/" + NS + "/pods/worker-1/status");
        assertThat(status.statusCode()).isEqualTo(403);
        assertThat(status.body()).contains("cannot get resource \\\"pods/status\\\"");
    }

    private HttpResponse<String> raw(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
