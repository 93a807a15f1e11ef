package io.vidbatch.k8s.sim;

import io.kubernetes.client.common.KubernetesObject;

/**
 * One change as a watch sends it. The object is the stored snapshot (never mutated after the
 * write), so filters can test it; json is that snapshot serialised once for every watcher.
 */
record WatchEvent(String type, ObjectKey key, long resourceVersion, KubernetesObject object, String json) {
    String line() {
        return "{\"type\":\"" + type + "\",\"object\":" + json + "}\n";
    }
}
