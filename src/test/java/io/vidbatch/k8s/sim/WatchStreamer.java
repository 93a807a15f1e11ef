package io.vidbatch.k8s.sim;

import io.kubernetes.client.common.KubernetesObject;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Serves watch=true: HTTP 200, chunked, one JSON event per line, flushed as it happens. A
 * resourceVersion the history no longer covers gets the apiserver's answer: 200 then a single
 * ERROR event carrying a 410 Status, after which the client must relist.
 */
final class WatchStreamer {
    /** Thrown out of the handler so the HTTP server cuts the connection without the final chunk. */
    static final class Cut extends RuntimeException {
        Cut() {
            super("watch cut by fault injection", null, false, false);
        }
    }

    private final ObjectStore store;
    private volatile Duration bookmarkInterval = Duration.ofMinutes(1);
    private final AtomicInteger expired = new AtomicInteger();

    WatchStreamer(ObjectStore store) {
        this.store = store;
    }

    /** Watches answered with an ERROR 410 event (resourceVersion too old). */
    int expired() {
        return expired.get();
    }

    void bookmarkInterval(Duration d) {
        bookmarkInterval = d;
    }

    void stream(Exchange ex, ResourceKind kind, Predicate<KubernetesObject> filter) throws IOException {
        Integer timeoutSeconds = ex.intParam("timeoutSeconds");
        long deadline = System.nanoTime()
                + Duration.ofSeconds(timeoutSeconds == null ? 1800 : timeoutSeconds)
                        .toNanos();
        boolean bookmarks = ex.flag("allowWatchBookmarks");
        WatchSubscription sub;
        try {
            sub = store.watch(kind, filter, ex.query.get("resourceVersion"));
        } catch (ApiError e) {
            if (e.code != 410) {
                throw e;
            }
            expired.incrementAndGet();
            try (OutputStream out = ex.startStream("application/json")) {
                write(out, "{\"type\":\"ERROR\",\"object\":" + Json.write(e.toStatus()) + "}\n");
            }
            return;
        }
        OutputStream out = ex.startStream("application/json");
        long nextBookmark = System.nanoTime() + bookmarkInterval.toNanos();
        try {
            for (; ; ) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                if (bookmarks && now >= nextBookmark) {
                    write(out, bookmark(kind));
                    nextBookmark = now + bookmarkInterval.toNanos();
                }
                long until = bookmarks ? Math.min(deadline, nextBookmark) : deadline;
                Object next = sub.poll(Math.max(1, (until - now) / 1_000_000));
                if (next == WatchSubscription.End.CLEAN) {
                    break;
                }
                if (next == WatchSubscription.End.ABRUPT) {
                    throw new Cut();
                }
                if (next instanceof WatchEvent e) {
                    write(out, e.line());
                }
            }
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cut();
        } finally {
            sub.unsubscribe();
        }
    }

    private String bookmark(ResourceKind kind) {
        return "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"" + kind.kind + "\",\"apiVersion\":\"" + kind.apiVersion()
                + "\",\"metadata\":{\"resourceVersion\":\"" + store.resourceVersion() + "\"}}}\n";
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
