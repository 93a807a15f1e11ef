package io.vidbatch.k8s.sim;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The queue between the store (producer, under its lock) and one open watch stream. */
final class WatchSubscription {
    /** How a stream is to end: the apiserver's orderly end, or a connection cut mid-stream. */
    enum End {
        CLEAN,
        ABRUPT
    }

    private final Predicate<WatchEvent> filter;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Runnable onClose;

    WatchSubscription(Predicate<WatchEvent> filter, List<WatchEvent> backlog, Runnable onClose) {
        this.filter = filter;
        this.onClose = onClose;
        queue.addAll(backlog);
    }

    boolean wants(WatchEvent e) {
        return filter.test(e);
    }

    void offer(WatchEvent e) {
        queue.offer(e);
    }

    void end(End how) {
        queue.offer(how);
    }

    /** A WatchEvent, an End, or null when nothing came within the wait. */
    Object poll(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    void unsubscribe() {
        onClose.run();
    }
}
