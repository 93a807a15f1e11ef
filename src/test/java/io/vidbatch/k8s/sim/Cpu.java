package io.vidbatch.k8s.sim;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;

import java.math.BigDecimal;
import java.util.Map;

/** CPU quantities in millicores ("500m" = 500, "1" = 1000, "0.25" = 250). */
final class Cpu {
    private Cpu() {}

    static long millis(Quantity q) {
        return q == null ? 0 : q.getNumber().multiply(BigDecimal.valueOf(1000)).longValue();
    }

    static long millis(Map<String, Quantity> resources) {
        return resources == null ? 0 : millis(resources.get("cpu"));
    }

    /** The sum of the containers' cpu requests; a container without one asks for nothing. */
    static long requested(V1Pod pod) {
        long sum = 0;
        for (V1Container c : pod.getSpec().getContainers()) {
            if (c.getResources() != null) {
                // A limit without a request is defaulted into the request by the apiserver.
                long request = millis(c.getResources().getRequests());
                sum += request > 0 ? request : millis(c.getResources().getLimits());
            }
        }
        return sum;
    }

    static Quantity quantity(long millis) {
        return millis % 1000 == 0
                ? Quantity.fromString(Long.toString(millis / 1000))
                : Quantity.fromString(millis + "m");
    }
}
