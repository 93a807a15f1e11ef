package io.vidbatch.k8s.sim;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Job and pod informers built the way client-java's examples build them (list calls through
 * buildCall), so the tests exercise the same list+watch code a launcher runs.
 */
final class Informers implements AutoCloseable {
    final SharedInformerFactory factory;
    final SharedIndexInformer<V1Job> jobs;
    final SharedIndexInformer<V1Pod> pods;
    /** "ADDED name", "UPDATED name phase", "DELETED name" as the pod handler saw them. */
    final List<String> podEvents = new CopyOnWriteArrayList<>();

    Informers(ApiClient client, String namespace) {
        BatchV1Api batch = new BatchV1Api(client);
        CoreV1Api core = new CoreV1Api(client);
        factory = new SharedInformerFactory(client);
        jobs = factory.sharedIndexInformerFor(
                params -> batch.listNamespacedJob(namespace)
                        .resourceVersion(params.resourceVersion)
                        .watch(params.watch)
                        .timeoutSeconds(params.timeoutSeconds)
                        .labelSelector("app=vidbatch-worker")
                        .buildCall(null),
                V1Job.class,
                V1JobList.class);
        pods = factory.sharedIndexInformerFor(
                params -> core.listNamespacedPod(namespace)
                        .resourceVersion(params.resourceVersion)
                        .watch(params.watch)
                        .timeoutSeconds(params.timeoutSeconds)
                        .labelSelector("app=vidbatch-worker")
                        .buildCall(null),
                V1Pod.class,
                V1PodList.class);
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1Pod p) {
                podEvents.add("ADDED " + p.getMetadata().getName());
            }

            @Override
            public void onUpdate(V1Pod old, V1Pod p) {
                podEvents.add("UPDATED " + p.getMetadata().getName() + " " + TestJobs.phase(p));
            }

            @Override
            public void onDelete(V1Pod p, boolean unknownFinalState) {
                podEvents.add("DELETED " + p.getMetadata().getName());
            }
        });
        factory.startAllRegisteredInformers();
        waitFor(() -> jobs.hasSynced() && pods.hasSynced(), Duration.ofSeconds(10), "informers to sync");
    }

    V1Pod awaitPod(Predicate<V1Pod> p, Duration timeout) {
        return await(pods, p, timeout, "pod");
    }

    V1Job awaitJob(Predicate<V1Job> p, Duration timeout) {
        return await(jobs, p, timeout, "job");
    }

    private static <T extends KubernetesObject> T await(
            SharedIndexInformer<T> informer, Predicate<T> p, Duration timeout, String what) {
        Object[] found = new Object[1];
        waitFor(
                () -> {
                    Optional<T> hit =
                            informer.getIndexer().list().stream().filter(p).findFirst();
                    hit.ifPresent(h -> found[0] = h);
                    return hit.isPresent();
                },
                timeout,
                "a " + what + " in the informer cache");
        @SuppressWarnings("unchecked")
        T t = (T) found[0];
        return t;
    }

    static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() {
        factory.stopAllRegisteredInformers();
    }
}
