package io.vidbatch.k8s.sim;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;

/** The resources the fake API server serves; the plural is also the RBAC resource name. */
public enum ResourceKind {
    JOB("batch", "v1", "Job", "jobs", true, V1Job.class),
    POD("", "v1", "Pod", "pods", true, V1Pod.class),
    NODE("", "v1", "Node", "nodes", false, V1Node.class),
    /** core/v1 Events, as controllers record them (kubectl describe shows these). */
    EVENT("", "v1", "Event", "events", true, CoreV1Event.class);

    public final String group;
    public final String version;
    public final String kind;
    public final String plural;
    public final boolean namespaced;
    public final Class<? extends KubernetesObject> type;

    ResourceKind(
            String group,
            String version,
            String kind,
            String plural,
            boolean namespaced,
            Class<? extends KubernetesObject> type) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
        this.namespaced = namespaced;
        this.type = type;
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String listKind() {
        return kind + "List";
    }

    /** The "kind" of a V1Status's details, which Kubernetes fills with the plural. */
    String qualified(String name) {
        return (group.isEmpty() ? plural : plural + "." + group) + " \"" + name + "\"";
    }

    static ResourceKind of(KubernetesObject o) {
        for (ResourceKind k : values()) {
            if (k.type.isInstance(o)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not served: " + o.getClass());
    }
}
