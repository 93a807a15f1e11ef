package io.vidbatch.k8s.sim;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/** The fieldSelector query parameter for the few fields clients really use (Wait helpers, kubectl). */
final class FieldSelector implements Predicate<KubernetesObject> {
    private final List<Predicate<KubernetesObject>> terms;

    private FieldSelector(List<Predicate<KubernetesObject>> terms) {
        this.terms = terms;
    }

    static FieldSelector parse(String text) {
        List<Predicate<KubernetesObject>> terms = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String t : text.split(",")) {
                boolean negate = t.contains("!=");
                String[] kv = t.split(negate ? "!=" : "==?", 2);
                if (kv.length != 2) {
                    throw new ApiError(400, "invalid selector: '" + t + "'");
                }
                Function<KubernetesObject, String> field = field(kv[0].trim());
                String value = kv[1].trim();
                terms.add(o -> Objects.equals(field.apply(o), value) != negate);
            }
        }
        return new FieldSelector(terms);
    }

    @Override
    public boolean test(KubernetesObject o) {
        return terms.stream().allMatch(t -> t.test(o));
    }

    private static Function<KubernetesObject, String> field(String name) {
        switch (name) {
            case "metadata.name":
                return o -> o.getMetadata().getName();
            case "metadata.namespace":
                return o -> o.getMetadata().getNamespace();
            case "spec.nodeName":
                return o -> o instanceof V1Pod p ? p.getSpec().getNodeName() : null;
            case "status.phase":
                return o -> o instanceof V1Pod p && p.getStatus() != null
                        ? p.getStatus().getPhase()
                        : null;
            // The apiserver's field labels for core/v1 Events (kubectl describe selects a Job's events this way).
            case "involvedObject.kind":
                return o -> involved(o, V1ObjectReference::getKind);
            case "involvedObject.name":
                return o -> involved(o, V1ObjectReference::getName);
            case "involvedObject.namespace":
                return o -> involved(o, V1ObjectReference::getNamespace);
            case "involvedObject.uid":
                return o -> involved(o, V1ObjectReference::getUid);
            case "reason":
                return o -> o instanceof CoreV1Event e ? e.getReason() : null;
            case "type":
                return o -> o instanceof CoreV1Event e ? e.getType() : null;
            default:
                throw new ApiError(400, "field label not supported: " + name);
        }
    }

    private static String involved(KubernetesObject o, Function<V1ObjectReference, String> field) {
        return o instanceof CoreV1Event e && e.getInvolvedObject() != null ? field.apply(e.getInvolvedObject()) : null;
    }
}
