package io.vidbatch.k8s.sim;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The bounded window of past events a watch can resume from, like the apiserver's watch cache:
 * resuming from a resourceVersion older than the window is "too old" (410 Gone).
 */
final class EventHistory {
    private final int capacity;
    private final ArrayDeque<WatchEvent> events = new ArrayDeque<>();
    /** Every event with a resourceVersion above this is still held. */
    private long floor;

    EventHistory(int capacity) {
        this.capacity = capacity;
    }

    void add(WatchEvent e) {
        events.addLast(e);
        while (events.size() > capacity) {
            floor = events.removeFirst().resourceVersion();
        }
    }

    void forgetUpTo(long resourceVersion) {
        events.clear();
        floor = resourceVersion;
    }

    boolean covers(long resourceVersion) {
        return resourceVersion >= floor;
    }

    long floor() {
        return floor;
    }

    List<WatchEvent> after(long resourceVersion, Predicate<WatchEvent> filter) {
        return events.stream()
                .filter(e -> e.resourceVersion() > resourceVersion)
                .filter(filter)
                .toList();
    }
}
