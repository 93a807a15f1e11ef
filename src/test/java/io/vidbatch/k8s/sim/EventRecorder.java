package io.vidbatch.k8s.sim;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;

import java.util.Objects;

/**
 * A controller's event recorder, as client-go's writes core/v1 Events: one per involved object,
 * reason and message, whose count and lastTimestamp grow when the same thing happens again (so a
 * controller retrying every few seconds leaves one event, not hundreds). Events outlive their
 * object, as they do for an hour on a real cluster.
 */
final class EventRecorder {
    private final ObjectStore store;
    private final String component;
    /** The node, for a kubelet's events; null for a controller's. */
    private final String host;

    EventRecorder(ObjectStore store, String component) {
        this(store, component, null);
    }

    EventRecorder(ObjectStore store, String component, String host) {
        this.store = store;
        this.component = component;
        this.host = host;
    }

    void normal(KubernetesObject about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    void warning(KubernetesObject about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    private void record(KubernetesObject about, String type, String reason, String message) {
        V1ObjectMeta m = about.getMetadata();
        for (CoreV1Event e : store.<CoreV1Event>peekAll(ResourceKind.EVENT)) {
            if (Objects.equals(e.getInvolvedObject().getUid(), m.getUid())
                    && reason.equals(e.getReason())
                    && message.equals(e.getMessage())
                    && type.equals(e.getType())) {
                store.update(
                        key(e), (CoreV1Event x) -> x.count(x.getCount() + 1).lastTimestamp(Times.now()));
                return;
            }
        }
        ResourceKind kind = ResourceKind.of(about);
        // Named <object>.<unique suffix>, as the recorder names them.
        String name = m.getName() + "." + Long.toHexString(System.nanoTime());
        store.create(new CoreV1Event()
                .metadata(new V1ObjectMeta().name(name).namespace(m.getNamespace()))
                .involvedObject(new V1ObjectReference()
                        .apiVersion(kind.apiVersion())
                        .kind(kind.kind)
                        .namespace(m.getNamespace())
                        .name(m.getName())
                        .uid(m.getUid())
                        .resourceVersion(m.getResourceVersion()))
                .type(type)
                .reason(reason)
                .message(message)
                .source(new V1EventSource().component(component).host(host))
                .reportingComponent(component)
                .reportingInstance(host)
                .count(1)
                .firstTimestamp(Times.now())
                .lastTimestamp(Times.now()));
    }

    private static ObjectKey key(CoreV1Event e) {
        return new ObjectKey(
                ResourceKind.EVENT,
                e.getMetadata().getNamespace(),
                e.getMetadata().getName());
    }
}
