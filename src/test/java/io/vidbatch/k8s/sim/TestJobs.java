package io.vidbatch.k8s.sim;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodFailurePolicy;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnExitCodesRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnPodConditionsPattern;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;

import java.util.List;
import java.util.Map;

/** Jobs as a launcher would build them, with a shell script as the work, for the tests. */
final class TestJobs {
    static final String NS = "vidbatch";

    private TestJobs() {}

    static V1Job shell(String name, String script) {
        V1Container c = new V1Container().name("main").image("busybox:1.36").command(List.of("sh", "-c", script));
        return new V1Job()
                .apiVersion("batch/v1")
                .kind("Job")
                .metadata(new V1ObjectMeta().name(name).namespace(NS).labels(Map.of("app", "vidbatch-worker")))
                .spec(new V1JobSpec()
                        .backoffLimit(0)
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(Map.of("app", "vidbatch-worker", "item", name)))
                                .spec(new V1PodSpec()
                                        .restartPolicy("Never")
                                        .terminationGracePeriodSeconds(2L)
                                        .containers(List.of(c)))));
    }

    static V1Container container(V1Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static V1Job env(V1Job job, String name, String value) {
        container(job).addEnvItem(new V1EnvVar().name(name).value(value));
        return job;
    }

    static V1Job cpu(V1Job job, String request) {
        container(job).resources(new V1ResourceRequirements().requests(Map.of("cpu", Quantity.fromString(request))));
        return job;
    }

    /** FailJob on the given exit codes of "main"; Ignore on DisruptionTarget (evictions, lost nodes). */
    static V1Job failurePolicy(V1Job job, Integer... failJobCodes) {
        job.getSpec()
                .podFailurePolicy(new V1PodFailurePolicy()
                        .addRulesItem(new V1PodFailurePolicyRule()
                                .action("FailJob")
                                .onExitCodes(new V1PodFailurePolicyOnExitCodesRequirement()
                                        .containerName("main")
                                        .operator("In")
                                        .values(List.of(failJobCodes))))
                        .addRulesItem(new V1PodFailurePolicyRule()
                                .action("Ignore")
                                .onPodConditions(List.of(new V1PodFailurePolicyOnPodConditionsPattern()
                                        .type("DisruptionTarget")
                                        .status("True")))));
        return job;
    }

    /** Fails (sleeps until killed) the first time, succeeds once the marker file exists. */
    static String firstRunHangs(String marker) {
        return "if [ -e '" + marker + "' ]; then echo second; exit 0; fi; touch '" + marker + "'; exec sleep 60";
    }

    static boolean hasCondition(V1Job job, String type) {
        return job.getStatus() != null
                && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static V1JobCondition condition(V1Job job, String type) {
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }

    static V1PodCondition condition(V1Pod pod, String type) {
        return pod.getStatus().getConditions() == null
                ? null
                : pod.getStatus().getConditions().stream()
                        .filter(c -> type.equals(c.getType()))
                        .findFirst()
                        .orElse(null);
    }

    static String jobOf(V1Pod pod) {
        return pod.getMetadata().getLabels() == null
                ? null
                : pod.getMetadata().getLabels().get("batch.kubernetes.io/job-name");
    }

    static String phase(V1Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    static boolean running(V1Pod pod) {
        return "Running".equals(phase(pod));
    }
}
