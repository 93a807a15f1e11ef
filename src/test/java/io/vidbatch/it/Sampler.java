package io.vidbatch.it;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IT server's heap and thread count as its own /metrics (scope base) shows them to a
 * monitoring system, read four times a second while a load runs; the peaks are what a load
 * test reports.
 */
final class Sampler {

    /**
     * Peak used heap (garbage not yet collected counts), the heap's maximum, peak live threads,
     * and the slowest /metrics answer: how long a monitoring system waited at worst.
     */
    record Peaks(long heapMb, long maxHeapMb, int threads, double slowestSeconds) {}

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long heap;
    private volatile long maxHeap;
    private volatile int threads;
    private volatile long slowestNanos;
    private volatile AssertionError failure;

    private Sampler() {
        thread = new Thread(this::run, "metrics-sampler");
        thread.setDaemon(true);
    }

    static Sampler start() {
        Sampler s = new Sampler();
        // The first read opens this client's connection (TLS handshake, class loading in the test
        // JVM): a monitoring system keeps its connection, so that cost is not an answer time.
        read("base");
        s.sample();
        s.thread.start();
        return s;
    }

    Peaks stop() throws InterruptedException {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw failure;
        }
        return new Peaks(heap >> 20, maxHeap >> 20, threads, slowestNanos / 1e9);
    }

    /** Used heap after a full GC, asked of the server's JVM with jcmd: what the server really keeps. */
    static long heapAfterGcMb() throws Exception {
        Process gc = new ProcessBuilder("jcmd", Long.toString(ItServer.process().pid()), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(gc.waitFor()).as("jcmd GC.run").isZero();
        return (long) value(read("base"), "memory_usedHeap_bytes") >> 20;
    }

    private void run() {
        while (running.get()) {
            try {
                sample();
            } catch (AssertionError | RuntimeException e) {
                // A server that stops answering /metrics under load is a finding, not a gap in the figures.
                failure = e instanceof AssertionError a ? a : new AssertionError("reading /metrics", e);
                return;
            }
            Jobs.sleep(250); // the sampling period (four reads a second) is the point, not a wait for anything
        }
    }

    private void sample() {
        long asked = System.nanoTime();
        String text = read("base");
        slowestNanos = Math.max(slowestNanos, System.nanoTime() - asked);
        heap = Math.max(heap, (long) value(text, "memory_usedHeap_bytes"));
        maxHeap = (long) value(text, "memory_maxHeap_bytes");
        threads = Math.max(threads, (int) value(text, "thread_count"));
    }

    /** One sample of {@code /metrics?scope=...}; {@code series} is its name, or a regex naming it with its labels. */
    static double metric(String scope, String series) {
        return value(read(scope), series);
    }

    private static String read(String scope) {
        String url = "https://localhost:" + System.getProperty("microshed_https_port") + "/metrics?scope=" + scope;
        Api.Reply r = Api.as(Api.ADMIN).get(url);
        assertThat(r.status()).as("GET " + url).isEqualTo(200);
        return r.body();
    }

    private static double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})?\\s+(\\S+)").matcher(text);
        assertThat(m.find())
                .as(name + " in /metrics, which began: " + text.substring(0, Math.min(300, text.length())))
                .isTrue();
        return Double.parseDouble(m.group(2));
    }
}
