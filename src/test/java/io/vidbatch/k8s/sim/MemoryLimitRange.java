package io.vidbatch.k8s.sim;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LimitRange of type Container with only {@code max.memory}, as the LimitRanger admission
 * plugin applies it (https://kubernetes.io/docs/concepts/policy/limit-range/): the max is also
 * the default limit and default request, filled into containers that set none; a container whose
 * limit or request exceeds it is refused.
 */
record MemoryLimitRange(Quantity max) {

    /** The mutating half: defaults for containers without a memory limit or request. */
    void applyDefaults(V1PodSpec spec) {
        for (V1Container c : containers(spec)) {
            V1ResourceRequirements r = c.getResources() == null ? new V1ResourceRequirements() : c.getResources();
            Map<String, Quantity> limits = new LinkedHashMap<>(r.getLimits() == null ? Map.of() : r.getLimits());
            Map<String, Quantity> requests = new LinkedHashMap<>(r.getRequests() == null ? Map.of() : r.getRequests());
            limits.putIfAbsent("memory", max);
            // defaultRequest defaults to the default limit, which defaults to max.
            requests.putIfAbsent("memory", limits.get("memory"));
            c.setResources(r.limits(limits).requests(requests));
        }
    }

    /** The validating half: null if every container is within the max, else the plugin's message. */
    String violation(V1PodSpec spec) {
        List<String> errs = new ArrayList<>();
        String enforced = max.toSuffixedString();
        for (V1Container c : containers(spec)) {
            Quantity limit = c.getResources().getLimits().get("memory");
            Quantity request = c.getResources().getRequests().get("memory");
            if (limit.getNumber().compareTo(max.getNumber()) > 0) {
                errs.add("maximum memory usage per Container is " + enforced + ", but limit is "
                        + limit.toSuffixedString());
            } else if (request.getNumber().compareTo(max.getNumber()) > 0) {
                errs.add("maximum memory usage per Container is " + enforced + ", but request is "
                        + request.toSuffixedString());
            }
        }
        if (errs.isEmpty()) {
            return null;
        }
        return errs.size() == 1 ? errs.get(0) : "[" + String.join(", ", errs) + "]";
    }

    private static List<V1Container> containers(V1PodSpec spec) {
        List<V1Container> all = new ArrayList<>(spec.getContainers());
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        return all;
    }
}
