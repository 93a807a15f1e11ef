package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1Pod;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The failed pods of a Job that used up its retries, summed up. None of them failed for a
 * reason in the file: the worker says "bad input" with exit 3, which fails the Job at once
 * through its pod failure policy. What is left is the cluster's doing (a runtime that could not
 * start the container, a node that vanished, ffmpeg killed from outside) or the pod's memory
 * limit, and the user is told which.
 */
record PodFailures(int pods, boolean memory, String summary) {

    static PodFailures of(List<V1Pod> pods) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int failed = 0;
        int oom = 0;
        String limit = null;
        for (V1Pod pod : pods) {
            if (pod.getStatus() == null || !"Failed".equals(pod.getStatus().getPhase())) {
                continue;
            }
            failed++;
            V1ContainerStateTerminated t = JobState.terminated(pod);
            if (t != null && "OOMKilled".equals(t.getReason())) {
                oom++;
                limit = limit != null ? limit : memoryLimit(pod);
            }
            counts.merge(JobState.describe(pod), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        counts.forEach((why, n) -> b.append(b.isEmpty() ? "" : "; ").append(why).append(n > 1 ? " (x" + n + ")" : ""));
        boolean memory = failed > 0 && oom == failed;
        String summary = memory
                ? "its pod ran out of memory " + times(oom) + " (OOMKilled at the memory limit "
                        + (limit != null ? limit : "set") + "); raise k8s.memory.limit"
                : (failed == 1 ? "its pod failed" : "its pods failed " + times(failed))
                        + ", not for a reason in the file: " + b;
        return new PodFailures(failed, memory, summary);
    }

    private static String times(int n) {
        return n == 1 ? "once" : n + " times";
    }

    private static String memoryLimit(V1Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return null;
        }
        for (V1Container c : pod.getSpec().getContainers()) {
            if (JobSpecs.CONTAINER.equals(c.getName())
                    && c.getResources() != null
                    && c.getResources().getLimits() != null) {
                Quantity q = c.getResources().getLimits().get("memory");
                return q == null ? null : q.toSuffixedString();
            }
        }
        return null;
    }
}
