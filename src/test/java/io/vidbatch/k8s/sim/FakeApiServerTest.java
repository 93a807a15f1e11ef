package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.vidbatch.k8s.sim.TestJobs.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake API server alone, through client-java and raw HTTP: faults, watches, selectors, the request log. */
class FakeApiServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String JOBS = "/apis/batch/v1/namespaces/" + NS + "/jobs";

    private FakeApiServer server;
    private ApiClient client;
    private BatchV1Api batch;

    @BeforeEach
    void start() throws Exception {
        server = FakeApiServer.start();
        client = server.apiClient();
        batch = new BatchV1Api(client);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void injectedFaultsReachTheClientAsApiExceptionsWithTheirCodes() throws Exception {
        server.failNext("POST", JOBS, 409, 1);
        server.failNext("POST", ".*/jobs", 429, 1);
        server.failNext("POST", ".*/jobs", 500, 1);

        ApiException conflict = createFails("a");
        assertThat(conflict.getCode()).isEqualTo(409);
        assertThat(conflict.getResponseBody()).contains("\"reason\":\"AlreadyExists\"");
        ApiException throttled = createFails("a");
        assertThat(throttled.getCode()).isEqualTo(429);
        assertThat(throttled.getResponseHeaders()).containsEntry("Retry-After", List.of("1"));
        assertThat(createFails("a").getCode()).isEqualTo(500);
        batch.createNamespacedJob(NS, TestJobs.shell("a", "exit 0")).execute();

        assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(409, 429, 500, 201);
        assertThat(server.store().creations()).hasSize(1);
    }

    @Test
    void aCreateThatFailsAfterCommittingIsThereOnRetry() throws Exception {
        server.failNextAfterCommit("POST", JOBS, 500, 1);

        assertThat(createFails("twice").getCode()).isEqualTo(500);
        assertThat(batch.readNamespacedJob("twice", NS).execute().getMetadata().getUid())
                .isNotEmpty();
        ApiException again = createFails("twice");
        assertThat(again.getCode()).isEqualTo(409);
        assertThat(again.getResponseBody()).contains("jobs.batch \\\"twice\\\" already exists");
    }

    @Test
    void missingObjectsAndUnknownPathsAre404Statuses() throws Exception {
        assertThatThrownBy(() -> batch.readNamespacedJob("nope", NS).execute())
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getResponseBody())
                                .contains("\"reason\":\"NotFound\"")
                                .contains("\"code\":404"));
        HttpResponse<String> r = raw("/apis/apps/v1/namespaces/" + NS + "/deployments");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"kind\":\"Status\"");
    }

    @Test
    void createdJobsComeBackDefaultedWithApiVersionKindAndTimestamps() throws Exception {
        V1Job created =
                batch.createNamespacedJob(NS, TestJobs.shell("d", "exit 0")).execute();

        assertThat(created.getApiVersion()).isEqualTo("batch/v1");
        assertThat(created.getKind()).isEqualTo("Job");
        assertThat(created.getMetadata().getResourceVersion()).matches("\\d+");
        assertThat(created.getSpec().getCompletions()).isEqualTo(1);
        assertThat(created.getSpec().getSelector().getMatchLabels()).containsKey("batch.kubernetes.io/controller-uid");
        String json = raw(JOBS + "/d").body();
        assertThat(json).containsPattern("\"creationTimestamp\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"");
        V1Job always = TestJobs.shell("bad", "exit 0");
        always.getSpec().getTemplate().getSpec().restartPolicy("Always");
        assertThatThrownBy(() -> batch.createNamespacedJob(NS, always).execute())
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    @Test
    void listsFilterByLabelSelectorAndPage() throws Exception {
        for (String item : List.of("a", "b", "c")) {
            V1Job job = TestJobs.shell("job-" + item, "exit 0");
            job.getMetadata().labels(Map.of("app", "vidbatch-worker", "item", item));
            batch.createNamespacedJob(NS, job).execute();
        }
        assertThat(names(batch.listNamespacedJob(NS).labelSelector("item=a").execute()))
                .containsExactly("job-a");
        assertThat(names(batch.listNamespacedJob(NS)
                        .labelSelector("app=vidbatch-worker,item!=a")
                        .execute()))
                .containsExactly("job-b", "job-c");
        assertThat(names(batch.listNamespacedJob(NS)
                        .labelSelector("item in (a,c)")
                        .execute()))
                .containsExactly("job-a", "job-c");
        assertThat(names(batch.listNamespacedJob(NS).labelSelector("!item").execute()))
                .isEmpty();
        assertThat(names(batch.listNamespacedJob("other").execute())).isEmpty();

        V1JobList page = batch.listNamespacedJob(NS).limit(2).execute();
        assertThat(names(page)).containsExactly("job-a", "job-b");
        V1JobList rest = batch.listNamespacedJob(NS)
                .limit(2)
                ._continue(page.getMetadata().getContinue())
                .execute();
        assertThat(names(rest)).containsExactly("job-c");
    }

    @Test
    void aWatchIsChunkedJsonLinesAndATooOldVersionGetsAnError410Event() throws Exception {
        batch.createNamespacedJob(NS, TestJobs.shell("w", "exit 0")).execute();

        HttpResponse<String> fresh = raw(JOBS + "?watch=true&resourceVersion=0&timeoutSeconds=1");
        assertThat(fresh.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(fresh.body().lines().toList())
                .singleElement()
                .asString()
                .startsWith("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\"");

        server.endWatches(true);
        HttpResponse<String> old = raw(JOBS + "?watch=true&resourceVersion=1&timeoutSeconds=1");
        assertThat(old.statusCode()).isEqualTo(200);
        assertThat(old.body())
                .startsWith("{\"type\":\"ERROR\",\"object\":{")
                .contains("\"kind\":\"Status\"")
                .contains("\"code\":410")
                .contains("\"reason\":\"Expired\"");
    }

    @Test
    void aCutWatchIsHealedByARelist() throws Exception {
        batch.createNamespacedJob(NS, TestJobs.shell("before", "exit 0")).execute();
        try (Informers informers = new Informers(client, NS)) {
            informers.awaitJob(j -> j.getMetadata().getName().equals("before"), WAIT);
            server.clearRequests();

            server.dropWatches(true);
            batch.createNamespacedJob(NS, TestJobs.shell("after", "exit 0")).execute();

            informers.awaitJob(j -> j.getMetadata().getName().equals("after"), WAIT);
            // The cut watches may still count as open for a moment: wait for the new jobs watch itself.
            Informers.waitFor(
                    () -> server.openWatches() == 2
                            && server.requests().stream()
                                    .map(RecordedRequest::rbac)
                                    .anyMatch("watch jobs"::equals),
                    WAIT,
                    "both watches to reopen");
            assertThat(server.requests()).extracting(RecordedRequest::rbac).contains("list jobs", "watch jobs");
        }
    }

    @Test
    void aWatchResumedFromForgottenHistoryGets410AndTheInformerRelists() throws Exception {
        try (Informers informers = new Informers(client, NS)) {
            Informers.waitFor(() -> server.openWatches() == 2, WAIT, "both watches to open");
            server.clearRequests();

            server.endWatches(true);
            batch.createNamespacedJob(NS, TestJobs.shell("missed", "exit 0")).execute();

            informers.awaitJob(j -> j.getMetadata().getName().equals("missed"), WAIT);
            Informers.waitFor(() -> server.openWatches() == 2, WAIT, "both watches to reopen");
            assertThat(server.expiredWatches()).isGreaterThanOrEqualTo(1);
            assertThat(server.requests()).extracting(RecordedRequest::rbac).contains("watch jobs", "list jobs");
        }
    }

    @Test
    void foregroundDeletionAnswersWithTheJobAndRemovesIt() throws Exception {
        batch.createNamespacedJob(NS, TestJobs.shell("fg", "exit 0")).execute();

        var answer = batch.deleteNamespacedJob("fg", NS)
                .body(new V1DeleteOptions().propagationPolicy("Foreground"))
                .executeWithHttpInfo();

        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(answer.getHeaders()).doesNotContainKey("Warning");
        assertThat(server.store().peekAll(ResourceKind.JOB)).isEmpty();
        assertThat(server.rbacVerbs()).contains("create jobs", "delete jobs");
        assertThatThrownBy(() -> batch.deleteNamespacedJob("fg", NS).execute())
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    private ApiException createFails(String name) {
        try {
            batch.createNamespacedJob(NS, TestJobs.shell(name, "exit 0")).execute();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("create of " + name + " succeeded");
    }

    private HttpResponse<String> raw(String pathAndQuery) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> names(V1JobList list) {
        return list.getItems().stream().map(j -> j.getMetadata().getName()).toList();
    }
}
