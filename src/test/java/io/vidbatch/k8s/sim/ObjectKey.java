package io.vidbatch.k8s.sim;

/** Identity of a stored object; namespace is "" for cluster-scoped kinds. */
public record ObjectKey(ResourceKind kind, String namespace, String name) implements Comparable<ObjectKey> {
    public ObjectKey {
        namespace = kind.namespaced ? namespace : "";
    }

    @Override
    public int compareTo(ObjectKey o) {
        int c = kind.compareTo(o.kind);
        if (c == 0) {
            c = namespace.compareTo(o.namespace);
        }
        return c == 0 ? name.compareTo(o.name) : c;
    }
}
