package io.vidbatch.k8s.sim;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The API server's storage: objects, one global resourceVersion counter, the event history and
 * the open watches. Every write happens under one lock and is delivered to watches in order, so
 * a watch sees exactly the sequence of resourceVersions the store produced.
 *
 * <p>Objects handed out by {@link #peek} are shared snapshots: callers must not mutate them.
 * {@link #get} returns a private copy; {@link #update} copies, mutates and stores atomically.
 */
public final class ObjectStore {
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(KubernetesObject object, String json) {}

    /** Items of a list with the resourceVersion the list is consistent with. */
    record Snapshot(List<String> itemsJson, List<KubernetesObject> items, long resourceVersion) {}

    private final Object lock = new Object();
    private final Map<ResourceKind, TreeMap<ObjectKey, Entry>> byKind = new EnumMap<>(ResourceKind.class);
    private final EventHistory history;
    private final Set<WatchSubscription> watches = new CopyOnWriteArraySet<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<ObjectKey, Integer> creations = new LinkedHashMap<>();
    /**
     * Starts where no earlier simulator run reached, as a real apiserver's etcd revision never goes
     * back: a client that outlives one simulated cluster and meets the next (a coordinator across
     * test classes) cannot resume a watch from a version this store never had.
     */
    private long resourceVersion = System.currentTimeMillis() * 1000;

    public ObjectStore(int historyCapacity) {
        this.history = new EventHistory(historyCapacity);
        // The history starts here: a version issued by an earlier server is older than anything held (410).
        history.forgetUpTo(resourceVersion);
        for (ResourceKind k : ResourceKind.values()) {
            byKind.put(k, new TreeMap<>());
        }
    }

    private TreeMap<ObjectKey, Entry> objects(ResourceKind kind) {
        return byKind.get(kind);
    }

    /** Called after every write, outside the lock: the simulated cluster wakes on it. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public long resourceVersion() {
        synchronized (lock) {
            return resourceVersion;
        }
    }

    /**
     * Stores a new object, filling uid, creationTimestamp, resourceVersion, apiVersion and kind;
     * returns the stored snapshot (read only). The store takes the object over: the caller must
     * not touch it afterwards.
     */
    public <T extends KubernetesObject> T create(T object) {
        ResourceKind kind = ResourceKind.of(object);
        V1ObjectMeta meta = object.getMetadata();
        T stored;
        synchronized (lock) {
            if ((meta.getName() == null || meta.getName().isEmpty()) && meta.getGenerateName() != null) {
                meta.setName(generateName(kind, meta.getNamespace(), meta.getGenerateName()));
            }
            ObjectKey key = new ObjectKey(kind, meta.getNamespace(), meta.getName());
            if (objects(kind).containsKey(key)) {
                throw ApiError.alreadyExists(kind, meta.getName());
            }
            if (meta.getUid() == null) {
                meta.setUid(UUID.randomUUID().toString());
            }
            meta.setCreationTimestamp(Times.now());
            if (kind == ResourceKind.JOB) {
                meta.setGeneration(1L);
            }
            stored = write("ADDED", key, object);
            creations.merge(key, 1, Integer::sum);
        }
        notifyListeners();
        return stored;
    }

    /** A private copy, or null. */
    @SuppressWarnings("unchecked")
    public <T extends KubernetesObject> T get(ObjectKey key) {
        synchronized (lock) {
            Entry e = objects(key.kind()).get(key);
            return e == null ? null : (T) Json.read(e.json, key.kind().type);
        }
    }

    /** The shared stored snapshot, or null. Read only. */
    @SuppressWarnings("unchecked")
    public <T extends KubernetesObject> T peek(ObjectKey key) {
        synchronized (lock) {
            Entry e = objects(key.kind()).get(key);
            return e == null ? null : (T) e.object;
        }
    }

    /** Shared snapshots of every object of a kind, in key order. Read only. */
    @SuppressWarnings("unchecked")
    public <T extends KubernetesObject> List<T> peekAll(ResourceKind kind) {
        synchronized (lock) {
            List<T> out = new ArrayList<>();
            for (Entry e : objects(kind).values()) {
                out.add((T) e.object);
            }
            return out;
        }
    }

    Snapshot list(ResourceKind kind, Predicate<KubernetesObject> filter) {
        synchronized (lock) {
            List<String> json = new ArrayList<>();
            List<KubernetesObject> items = new ArrayList<>();
            for (Entry e : objects(kind).values()) {
                if (filter.test(e.object)) {
                    json.add(e.json);
                    items.add(e.object);
                }
            }
            return new Snapshot(json, items, resourceVersion);
        }
    }

    /**
     * Copies, mutates and stores an object in one step; returns the new snapshot (read only), or
     * null if the object is gone. An object being deleted whose last finalizer (and, for a pod, whose grace
     * period) is done is removed, as the apiserver does.
     */
    @SuppressWarnings("unchecked")
    public <T extends KubernetesObject> T update(ObjectKey key, Consumer<T> mutator) {
        T result;
        synchronized (lock) {
            Entry e = objects(key.kind()).get(key);
            if (e == null) {
                return null;
            }
            T copy = (T) Json.read(e.json, key.kind().type);
            mutator.accept(copy);
            if (deletionComplete(copy)) {
                removeLocked(key, copy);
                result = null;
            } else {
                result = write("MODIFIED", key, copy);
            }
        }
        notifyListeners();
        return result;
    }

    /** Removes an object now (the final step of a deletion); returns its last state or null. */
    public KubernetesObject remove(ObjectKey key) {
        KubernetesObject removed;
        synchronized (lock) {
            Entry e = objects(key.kind()).get(key);
            if (e == null) {
                return null;
            }
            removed = removeLocked(key, Json.read(e.json, key.kind().type));
        }
        notifyListeners();
        return removed;
    }

    /**
     * Opens a watch. An empty or "0" resourceVersion starts with synthetic ADDED events for what
     * exists; a number resumes after it, or fails with 410 if the history no longer reaches back.
     */
    WatchSubscription watch(ResourceKind kind, Predicate<KubernetesObject> filter, String fromVersion) {
        Predicate<WatchEvent> wanted = e -> e.key().kind() == kind && filter.test(e.object());
        synchronized (lock) {
            List<WatchEvent> backlog = new ArrayList<>();
            if (fromVersion == null || fromVersion.isEmpty() || fromVersion.equals("0")) {
                objects(kind).forEach((k, e) -> {
                    if (filter.test(e.object)) {
                        backlog.add(new WatchEvent("ADDED", k, resourceVersion, e.object, e.json));
                    }
                });
            } else {
                long from = parseVersion(fromVersion);
                if (!history.covers(from)) {
                    throw ApiError.gone("too old resource version: " + from + " (" + history.floor() + ")");
                }
                backlog.addAll(history.after(from, wanted));
            }
            WatchSubscription[] self = new WatchSubscription[1];
            self[0] = new WatchSubscription(wanted, backlog, () -> watches.remove(self[0]));
            watches.add(self[0]);
            return self[0];
        }
    }

    /** Ends every open watch; with forget, no resourceVersion issued so far can be resumed from. */
    void endWatches(WatchSubscription.End how, boolean forget) {
        synchronized (lock) {
            if (forget) {
                // Consume a revision, as etcd does for writes elsewhere, so that even a watcher that
                // was fully up to date must relist.
                resourceVersion++;
                history.forgetUpTo(resourceVersion);
            }
            for (WatchSubscription w : watches) {
                w.end(how);
            }
        }
    }

    int openWatches() {
        return watches.size();
    }

    /** How many times each object was created (a name created twice after a delete counts 2). */
    public Map<ObjectKey, Integer> creations() {
        synchronized (lock) {
            return Collections.unmodifiableMap(new HashMap<>(creations));
        }
    }

    static long parseVersion(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiError(400, "invalid resource version: " + v);
        }
    }

    private static boolean deletionComplete(KubernetesObject o) {
        V1ObjectMeta m = o.getMetadata();
        if (m.getDeletionTimestamp() == null
                || (m.getFinalizers() != null && !m.getFinalizers().isEmpty())) {
            return false;
        }
        return !(o instanceof V1Pod) || Long.valueOf(0).equals(m.getDeletionGracePeriodSeconds());
    }

    /** The object, owned by the store from now on, becomes the stored snapshot. */
    private <T extends KubernetesObject> T write(String type, ObjectKey key, T object) {
        ResourceKind kind = key.kind();
        setTypeMeta(object, kind);
        object.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
        String json = Json.write(object);
        objects(kind).put(key, new Entry(object, json));
        publish(new WatchEvent(type, key, resourceVersion, object, json));
        return object;
    }

    private KubernetesObject removeLocked(ObjectKey key, KubernetesObject last) {
        objects(key.kind()).remove(key);
        setTypeMeta(last, key.kind());
        // A DELETED event carries the revision of the delete itself.
        last.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
        String json = Json.write(last);
        publish(new WatchEvent("DELETED", key, resourceVersion, last, json));
        return last;
    }

    private void publish(WatchEvent e) {
        history.add(e);
        for (WatchSubscription w : watches) {
            if (w.wants(e)) {
                w.offer(e);
            }
        }
    }

    private void notifyListeners() {
        listeners.forEach(Runnable::run);
    }

    /**
     * A name for a generateName prefix, not taken now, as {@link #create} would pick it; for
     * admission, which sees the generated name before the object is stored.
     */
    String generateName(ResourceKind kind, String namespace, String prefix) {
        // As the apiserver's name generator: the prefix cut so that the name stays a 63-character label.
        String base = prefix.length() > 58 ? prefix.substring(0, 58) : prefix;
        synchronized (lock) {
            for (; ; ) {
                StringBuilder name = new StringBuilder(base);
                for (int i = 0; i < 5; i++) {
                    name.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
                }
                if (!objects(kind).containsKey(new ObjectKey(kind, namespace, name.toString()))) {
                    return name.toString();
                }
            }
        }
    }

    // Objects on the wire always carry apiVersion and kind, whatever the writer filled in.
    private static void setTypeMeta(KubernetesObject o, ResourceKind kind) {
        if (o instanceof V1Job j) {
            j.apiVersion(kind.apiVersion()).kind(kind.kind);
        } else if (o instanceof V1Pod p) {
            p.apiVersion(kind.apiVersion()).kind(kind.kind);
        } else if (o instanceof V1Node n) {
            n.apiVersion(kind.apiVersion()).kind(kind.kind);
        } else if (o instanceof CoreV1Event e) {
            e.apiVersion(kind.apiVersion()).kind(kind.kind);
        }
    }
}
