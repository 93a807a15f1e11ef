package io.vidbatch.k8s.sim;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.vidbatch.k8s.sim.TestJobs.NS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Creates the apiserver refuses with 422 Invalid, worded as its validation words them (object
 * names and labels: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/ and
 * .../labels/#syntax-and-character-set; annotations: 256 KiB in total; Jobs:
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/).
 */
class ValidationTest {
    private static final String SUBDOMAIN_RULE =
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                    + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
                    + "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private FakeApiServer server;
    private BatchV1Api batch;
    private CoreV1Api core;

    @BeforeEach
    void start() throws Exception {
        server = FakeApiServer.start();
        batch = new BatchV1Api(server.apiClient());
        core = new CoreV1Api(server.apiClient());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aJobNameIsASubdomainAndAtMost63CharactersBecauseItBecomesALabelValue() {
        assertThat(refused(TestJobs.shell("Transcode_1", "exit 0")).getMessage())
                .isEqualTo("Job.batch \"Transcode_1\" is invalid: metadata.name: Invalid value: \"Transcode_1\": "
                        + SUBDOMAIN_RULE);

        String long64 = "a".repeat(64);
        V1Status status = refused(TestJobs.shell(long64, "exit 0"));
        assertThat(status.getMessage())
                .isEqualTo("Job.batch \"" + long64 + "\" is invalid: spec.template.labels: " + "Invalid value: \""
                        + long64 + "\": must be no more than 63 characters");
        assertThat(status.getReason()).isEqualTo("Invalid");
        assertThat(status.getDetails().getKind()).isEqualTo("Job");
        assertThat(status.getDetails().getGroup()).isEqualTo("batch");
        assertThat(status.getDetails().getCauses())
                .extracting(V1StatusCause::getReason, V1StatusCause::getField)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("FieldValueInvalid", "spec.template.labels"));
    }

    @Test
    void labelKeysAndValuesFollowTheLabelSyntax() {
        V1Job job = TestJobs.shell("labels", "exit 0");
        String value = "v".repeat(64);
        job.getMetadata().labels(Map.of("app", value));
        assertThat(refused(job).getMessage())
                .isEqualTo("Job.batch \"labels\" is invalid: metadata.labels: " + "Invalid value: \"" + value
                        + "\": must be no more than 63 characters");

        job.getMetadata().labels(Map.of("Example.com/app", "-x"));
        assertThat(refused(job).getMessage())
                .isEqualTo(
                        "Job.batch \"labels\" is invalid: ["
                                + "metadata.labels: Invalid value: \"Example.com/app\": prefix part " + SUBDOMAIN_RULE
                                + ", "
                                + "metadata.labels: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric "
                                + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
                                + "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]");
    }

    @Test
    void annotationsMayTotalAt256KiB() throws Exception {
        V1Job job = TestJobs.shell("annotated", "exit 0");
        job.getMetadata().annotations(Map.of("vidbatch.io/items", "1".repeat(256 * 1024)));
        assertThat(refused(job).getMessage())
                .isEqualTo(
                        "Job.batch \"annotated\" is invalid: metadata.annotations: Too long: must have at most 262144 bytes");

        job.getMetadata()
                .annotations(Map.of("vidbatch.io/items", "1".repeat(256 * 1024 - "vidbatch.io/items".length())));
        batch.createNamespacedJob(NS, job).execute();
    }

    @Test
    void aJobsPodsMustNotRestartAlwaysAndAPodFailurePolicyNeedsNever() {
        V1Job unset = TestJobs.shell("unset", "exit 0");
        unset.getSpec().getTemplate().getSpec().restartPolicy(null);
        assertThat(refused(unset).getMessage())
                .isEqualTo("Job.batch \"unset\" is invalid: spec.template.spec.restartPolicy: "
                        + "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");

        V1Job onFailure = TestJobs.failurePolicy(TestJobs.shell("on-failure", "exit 0"), 3);
        onFailure.getSpec().getTemplate().getSpec().restartPolicy("OnFailure");
        assertThat(refused(onFailure).getMessage())
                .isEqualTo("Job.batch \"on-failure\" is invalid: "
                        + "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when "
                        + "podFailurePolicy is specified");

        V1Job typo = TestJobs.failurePolicy(TestJobs.shell("typo", "exit 0"), 0, 3);
        typo.getSpec().getPodFailurePolicy().getRules().get(0).getOnExitCodes().containerName("worker");
        assertThat(refused(typo).getMessage())
                .isEqualTo(
                        "Job.batch \"typo\" is invalid: ["
                                + "spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"worker\": must be one of the "
                                + "container or initContainer names in the pod template, "
                                + "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator]");

        V1Job negative = TestJobs.shell("negative", "exit 0");
        negative.getSpec().backoffLimit(-1);
        assertThat(refused(negative).getMessage())
                .isEqualTo(
                        "Job.batch \"negative\" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void aSelectorIsGeneratedUnlessManualAndMustMatchTheTemplate() {
        V1Job own = TestJobs.shell("own-selector", "exit 0");
        own.getSpec().selector(new V1LabelSelector().matchLabels(Map.of("item", "own-selector")));
        assertThat(refused(own).getMessage())
                .startsWith("Job.batch \"own-selector\" is invalid: spec.selector: Invalid value: "
                        + "&LabelSelector{MatchLabels:map[string]string{batch.kubernetes.io/controller-uid: ")
                .endsWith(
                        "item: own-selector,},MatchExpressions:[]LabelSelectorRequirement{},}: `selector` not auto-generated");

        V1Job manual = TestJobs.shell("manual", "exit 0");
        manual.getSpec().manualSelector(true).selector(new V1LabelSelector().matchLabels(Map.of("item", "other")));
        assertThat(refused(manual).getMessage())
                .isEqualTo("Job.batch \"manual\" is invalid: spec.template.metadata.labels: "
                        + "Invalid value: map[string]string{\"app\":\"vidbatch-worker\", \"item\":\"manual\"}: "
                        + "`selector` does not match template `labels`");
    }

    @Test
    void containerNamesAreLabelsAndEnvNamesCIdentifiersAllReportedAtOnce() {
        V1Job job = TestJobs.shell("names", "exit 0");
        TestJobs.container(job)
                .name("Worker")
                .addEnvItem(new V1EnvVar().name("1ITEMS").value("x"));
        assertThat(refused(job).getMessage())
                .isEqualTo("Job.batch \"names\" is invalid: ["
                        + "spec.template.spec.containers[0].name: Invalid value: \"Worker\": a lowercase RFC 1123 label must consist "
                        + "of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                        + "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'), "
                        + "spec.template.spec.containers[0].env[0].name: Invalid value: \"1ITEMS\": a valid environment variable name "
                        + "must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. "
                        + "'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
                        + "'[-._a-zA-Z][-._a-zA-Z0-9]*')]");
    }

    @Test
    void aPodsMountsNeedTheirVolumesAndRequestsStayWithinLimits() {
        V1Pod pod = new V1Pod()
                .metadata(new V1ObjectMeta().name("direct"))
                .spec(TestJobs.shell("x", "exit 0").getSpec().getTemplate().getSpec());
        pod.getSpec()
                .getContainers()
                .get(0)
                .addVolumeMountsItem(new V1VolumeMount().name("media").mountPath("/media"))
                .resources(new V1ResourceRequirements()
                        .requests(Map.of("memory", Quantity.fromString("2Gi")))
                        .limits(Map.of("memory", Quantity.fromString("1Gi"))));
        try {
            core.createNamespacedPod(NS, pod).execute();
            throw new AssertionError("created");
        } catch (ApiException e) {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(Json.read(e.getResponseBody(), V1Status.class).getMessage())
                    .isEqualTo("Pod \"direct\" is invalid: ["
                            + "spec.containers[0].volumeMounts[0].name: Not found: \"media\", "
                            + "spec.containers[0].resources.requests: Invalid value: \"2Gi\": must be less than or equal to memory "
                            + "limit of 1Gi]");
        }
        assertThat(server.store().peekAll(ResourceKind.POD)).isEmpty();
    }

    private V1Status refused(V1Job job) {
        try {
            batch.createNamespacedJob(NS, job).execute();
        } catch (ApiException e) {
            assertThat(e.getCode()).isEqualTo(422);
            return Json.read(e.getResponseBody(), V1Status.class);
        }
        throw new AssertionError("job " + job.getMetadata().getName() + " was created");
    }
}
