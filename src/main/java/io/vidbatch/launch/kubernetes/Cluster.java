package io.vidbatch.launch.kubernetes;

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
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One connection to the cluster: the API client and two informers (this coordinator's worker
 * Jobs and pods) whose caches the launcher reads. Every change wakes whoever waits on that Job;
 * the periodic resync wakes them too, so nothing depends on a single event arriving.
 */
final class Cluster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Cluster.class.getName());
    private static final Path IN_CLUSTER_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    private static final long SYNC_TIMEOUT_SECONDS = 60;
    /** Longest wait for the answer to one API call (a pod log read of 256 KiB included). */
    static final long CALL_TIMEOUT_SECONDS = 30;

    final String namespace;
    /** The identity of the coordinator (its database) that this launcher's Jobs carry. */
    final String owner;

    final BatchV1Api batch;
    final CoreV1Api core;
    private final SharedInformerFactory factory;
    private final SharedIndexInformer<V1Job> jobs;
    private final SharedIndexInformer<V1Pod> pods;
    /** Per Job name: how many changes were seen; waiting compares against it so no wake-up is lost. */
    private final Map<String, long[]> changes = new ConcurrentHashMap<>();

    /** @param owner this coordinator's identity: only its own Jobs and pods are watched */
    Cluster(KubernetesSettings s, String owner) throws IOException, InterruptedException {
        ApiClient client = client(s);
        // Calls answer in seconds: one that hangs (an apiserver under load, a half-open
        // connection) must fail and be retried, not hold the partition for good.
        client.setHttpClient(client.getHttpClient()
                .newBuilder()
                .readTimeout(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .build());
        ApiClient watching = client(s);
        // Watches stay open for minutes: no read timeout on the informers' connection.
        watching.setHttpClient(watching.getHttpClient()
                .newBuilder()
                .readTimeout(0, TimeUnit.SECONDS)
                .build());
        this.namespace = namespace(s);
        this.owner = owner;
        this.batch = new BatchV1Api(client);
        this.core = new CoreV1Api(client);
        BatchV1Api watchBatch = new BatchV1Api(watching);
        CoreV1Api watchCore = new CoreV1Api(watching);
        String selector = Labels.selector(s.jobPrefix(), owner);
        long resync = TimeUnit.SECONDS.toMillis(s.resyncSeconds());
        this.factory = new SharedInformerFactory(watching);
        this.jobs = factory.sharedIndexInformerFor(
                p -> watchBatch
                        .listNamespacedJob(namespace)
                        .labelSelector(selector)
                        .resourceVersion(p.resourceVersion)
                        .timeoutSeconds(p.timeoutSeconds)
                        .watch(p.watch)
                        .allowWatchBookmarks(true)
                        .buildCall(null),
                V1Job.class,
                V1JobList.class,
                resync);
        this.pods = factory.sharedIndexInformerFor(
                p -> watchCore
                        .listNamespacedPod(namespace)
                        .labelSelector(selector)
                        .resourceVersion(p.resourceVersion)
                        .timeoutSeconds(p.timeoutSeconds)
                        .watch(p.watch)
                        .allowWatchBookmarks(true)
                        .buildCall(null),
                V1Pod.class,
                V1PodList.class,
                resync);
        jobs.addEventHandler(wake(j -> j.getMetadata().getName()));
        pods.addEventHandler(wake(p -> p.getMetadata().getLabels() == null
                ? null
                : p.getMetadata().getLabels().get(Labels.JOB_NAME)));
        factory.startAllRegisteredInformers();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SYNC_TIMEOUT_SECONDS);
        while (!(jobs.hasSynced() && pods.hasSynced())) {
            if (System.nanoTime() > deadline) {
                factory.stopAllRegisteredInformers();
                throw new IOException("cannot list Jobs and pods in namespace " + namespace + " within "
                        + SYNC_TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(20);
        }
        LOG.info("watching worker Jobs and pods in namespace " + namespace + " (" + selector + ")");
    }

    /** A kubeconfig file when one is set, otherwise the standard search (KUBECONFIG, in-cluster, ~/.kube/config). */
    private static ApiClient client(KubernetesSettings s) throws IOException {
        if (s.kubeconfig().isPresent()) {
            try (Reader r = Files.newBufferedReader(Path.of(s.kubeconfig().get()))) {
                return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(r)).build();
            }
        }
        return ClientBuilder.standard().build();
    }

    /** The configured namespace, else the coordinator's own pod namespace, else "default". */
    private static String namespace(KubernetesSettings s) throws IOException {
        if (s.namespace().isPresent()) {
            return s.namespace().get();
        }
        return Files.exists(IN_CLUSTER_NAMESPACE)
                ? Files.readString(IN_CLUSTER_NAMESPACE).strip()
                : "default";
    }

    V1Job job(String name) {
        return jobs.getIndexer().getByKey(namespace + "/" + name);
    }

    /**
     * The pods of this Job object, by its uid: a Job deleted and made again under the same name
     * is another object, and its predecessor's pods (still terminating) are not its own.
     */
    List<V1Pod> podsOf(V1Job job) {
        if (job == null || job.getMetadata() == null || job.getMetadata().getUid() == null) {
            return List.of();
        }
        String uid = job.getMetadata().getUid();
        return pods.getIndexer().list().stream()
                .filter(p -> p.getMetadata().getLabels() != null
                        && (uid.equals(p.getMetadata().getLabels().get(Labels.CONTROLLER_UID))
                                || uid.equals(p.getMetadata().getLabels().get(Labels.LEGACY_CONTROLLER_UID))))
                .toList();
    }

    /** The Job's change count, to pass to {@link #await} after looking at the Job. */
    long changes(String jobName) {
        long[] c = changes.computeIfAbsent(jobName, k -> new long[1]);
        synchronized (c) {
            return c[0];
        }
    }

    /** Waits until the Job or its pods changed since {@code seen} was read, or the time is up. */
    void await(String jobName, long seen, long millis) throws InterruptedException {
        long[] c = changes.computeIfAbsent(jobName, k -> new long[1]);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (c) {
            long left;
            while (c[0] == seen && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(c, left);
            }
        }
    }

    void forget(String jobName) {
        changes.remove(jobName);
    }

    private <T extends io.kubernetes.client.common.KubernetesObject> ResourceEventHandler<T> wake(
            Function<T, String> jobNameOf) {
        return new ResourceEventHandler<>() {
            public void onAdd(T obj) {
                signal(jobNameOf.apply(obj));
            }

            public void onUpdate(T oldObj, T newObj) {
                signal(jobNameOf.apply(newObj));
            }

            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                signal(jobNameOf.apply(obj));
            }
        };
    }

    private void signal(String jobName) {
        long[] c = jobName == null ? null : changes.get(jobName);
        if (c != null) {
            synchronized (c) {
                c[0]++;
                c.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        factory.stopAllRegisteredInformers();
    }
}
