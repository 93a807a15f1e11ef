package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;

import static io.vidbatch.k8s.sim.TestJobs.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTPS with a bearer token, through client-java's own kubeconfig handling: the CA from
 * certificate-authority-data is trusted, the token is sent, and a request without a valid token
 * is 401 Unauthorized (https://kubernetes.io/docs/reference/access-authn-authz/authentication/).
 */
class SecureServingTest {
    private static final String TOKEN = "sim-token-1";

    @TempDir
    Path dir;

    private FakeApiServer server;
    private Path kubeconfig;

    @BeforeEach
    void start() throws Exception {
        server = FakeApiServer.startSecure(TOKEN);
        kubeconfig = server.kubeconfig(dir.resolve("config"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientFromTheKubeconfigTrustsTheServerAndIsAuthenticated() throws Exception {
        assertThat(server.url()).startsWith("https://127.0.0.1:");
        assertThat(Files.readString(kubeconfig))
                .contains("certificate-authority-data: ", "token: " + TOKEN)
                .doesNotContain("insecure-skip-tls-verify");

        BatchV1Api batch = new BatchV1Api(Config.fromConfig(kubeconfig.toString()));
        batch.createNamespacedJob(NS, TestJobs.shell("over-tls", "exit 0")).execute();

        assertThat(batch.listNamespacedJob(NS).execute().getItems()).hasSize(1);
        assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(201, 200);
    }

    @Test
    void withoutTheTokenOrWithAWrongOneTheAnswerIs401() throws Exception {
        String noToken = Files.readString(kubeconfig).replace("    token: " + TOKEN, "    token: wrong");
        assertThat(unauthorized(clientFrom(noToken))).isEqualTo("Unauthorized");
        String anonymous = Files.readString(kubeconfig).replace("  user:\n    token: " + TOKEN, "  user: {}");
        assertThat(unauthorized(clientFrom(anonymous))).isEqualTo("Unauthorized");
        assertThat(server.store().peekAll(ResourceKind.JOB)).isEmpty();
    }

    @Test
    void aClientThatDoesNotTrustTheCaFailsTheHandshake() throws Exception {
        String untrusting = Files.readString(kubeconfig).replaceAll("(?m)^ *certificate-authority-data: .*\n", "");
        BatchV1Api batch = new BatchV1Api(clientFrom(untrusting));

        assertThatThrownBy(() -> batch.listNamespacedJob(NS).execute())
                .isInstanceOf(ApiException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertPathBuilderException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aClusterBehindTlsAndTheProductsRoleRunsAJobForItsServiceAccount() throws Exception {
        try (SimulatedCluster cluster =
                SimulatedCluster.startSecure(TOKEN).enforceRole(Path.of("kubernetes/base/rbac-launcher.yaml"))) {
            Path config = cluster.kubeconfig(dir.resolve("cluster-config"));
            ApiClient client = Config.fromConfig(config.toString());
            new BatchV1Api(client)
                    .createNamespacedJob(NS, TestJobs.shell("secure", "exit 0"))
                    .execute();

            cluster.awaitJob(j -> TestJobs.hasCondition(j, "Complete"), Duration.ofSeconds(10));
            CoreV1Api core = new CoreV1Api(client);
            V1Pod pod = core.listNamespacedPod(NS).execute().getItems().get(0);
            assertThat(TestJobs.phase(pod)).isEqualTo("Succeeded");
            assertThatThrownBy(() -> core.readNamespacedPod(pod.getMetadata().getName(), NS)
                            .execute())
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    private static String unauthorized(ApiClient client) {
        try {
            new BatchV1Api(client).listNamespacedJob(NS).execute();
        } catch (ApiException e) {
            assertThat(e.getCode()).isEqualTo(401);
            V1Status status = Json.read(e.getResponseBody(), V1Status.class);
            assertThat(status.getMessage()).isEqualTo("Unauthorized");
            return status.getReason();
        }
        throw new AssertionError("a request without the right token was served");
    }

    private ApiClient clientFrom(String yaml) throws Exception {
        Path other = Files.writeString(dir.resolve("other-config"), yaml);
        return Config.fromConfig(other.toString());
    }
}
