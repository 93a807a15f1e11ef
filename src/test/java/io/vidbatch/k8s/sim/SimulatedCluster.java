package io.vidbatch.k8s.sim;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Taint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Kubernetes cluster in one JVM: a {@link FakeApiServer} plus a Job controller, a scheduler and
 * one kubelet per node that runs pods as local processes, all on one control-loop thread driven
 * by store changes. Clients talk to it only over HTTP ({@link #apiClient()}, {@link #kubeconfig});
 * tests steer it and inject faults through the methods here.
 */
public final class SimulatedCluster implements AutoCloseable, LogSource {
    private final FakeApiServer api;
    private final ObjectStore store;
    private final Path workRoot;
    private final ControlLoop loop = new ControlLoop(20);
    private final ContainerRuntime runtime;
    private final JobController jobController;
    private final GarbageCollector garbageCollector;
    private final NodeLifecycleController nodeLifecycle;
    private final PodGarbageCollector podGarbageCollector;
    private final Map<String, Kubelet> kubelets = new ConcurrentHashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private SimulatedCluster(FakeApiServer api, Path workRoot) {
        this.api = api;
        this.store = api.store();
        this.workRoot = workRoot;
        this.runtime = new ContainerRuntime(workRoot);
        this.jobController = new JobController(store, api.deletions(), api.podAdmission(), events::add);
        this.garbageCollector = new GarbageCollector(store, api.deletions());
        Scheduler scheduler = new Scheduler(store);
        loop.addReconciler(jobController::reconcile);
        loop.addReconciler(garbageCollector::reconcile);
        loop.addReconciler(scheduler::reconcile);
        loop.addReconciler(() -> kubelets.values().forEach(Kubelet::reconcile));
        // After the kubelets, so a control loop that was held up does not take every node for silent.
        this.nodeLifecycle = new NodeLifecycleController(store, kubelets, events::add);
        loop.addReconciler(nodeLifecycle::reconcile);
        loop.addReconciler(new TaintEvictionController(store, api.deletions(), events::add)::reconcile);
        this.podGarbageCollector = new PodGarbageCollector(store, api.deletions(), events::add);
        loop.addReconciler(podGarbageCollector::reconcile);
        store.addListener(loop::wake);
        api.logSource(this);
        loop.start();
    }

    /** Three nodes, node-a, node-b and node-c, each with 2 cpus (2000m) and room for 110 pods. */
    public static SimulatedCluster start() throws IOException {
        return start("node-a", "node-b", "node-c");
    }

    public static SimulatedCluster start(String... nodes) throws IOException {
        return start(FakeApiServer.start(), nodes);
    }

    /** Three 2-cpu nodes behind an API server on a fixed loopback port. */
    public static SimulatedCluster onPort(int port) throws IOException {
        return start(FakeApiServer.onPort(port), "node-a", "node-b", "node-c");
    }

    /** {@link #startSecure} on a fixed loopback port, for a server whose kube config is written before its first job. */
    public static SimulatedCluster onPortSecure(int port, String token) throws IOException {
        return start(FakeApiServer.onPortSecure(port, token), "node-a", "node-b", "node-c");
    }

    /** Three 2-cpu nodes behind an HTTPS API server that requires the bearer token: see {@link FakeApiServer#startSecure}. */
    public static SimulatedCluster startSecure(String token) throws IOException {
        return start(FakeApiServer.startSecure(token), "node-a", "node-b", "node-c");
    }

    private static SimulatedCluster start(FakeApiServer api, String... nodes) throws IOException {
        SimulatedCluster c = new SimulatedCluster(api, Files.createTempDirectory("vidbatch-sim"));
        for (String n : nodes) {
            c.addNode(n, 2000, Map.of(), List.of());
        }
        return c;
    }

    public FakeApiServer api() {
        return api;
    }

    public ApiClient apiClient() {
        return api.apiClient();
    }

    public Path kubeconfig(Path file) throws IOException {
        return api.kubeconfig(file);
    }

    // ---- configuration ----

    /** Replaces containerPath by localPath in every command/args element, env value and workingDir. */
    public SimulatedCluster rewritePath(String containerPath, String localPath) {
        runtime.rewrites.add(containerPath, localPath);
        return this;
    }

    /** The command to run for images matching the regex when a container gives only args. */
    public SimulatedCluster imageEntrypoint(String imageRegex, String... command) {
        runtime.entrypoint(imageRegex, List.of(command));
        return this;
    }

    /**
     * Runs each pod in a process group of its own (setsid), so that what a container leaves
     * running when its main process exits is killed too, as a container runtime would. Off by
     * default: it costs one more exec per pod, which is a fifth of a pod's start here.
     */
    public SimulatedCluster processGroups(boolean on) {
        runtime.processGroups = on;
        return this;
    }

    /**
     * A message the container runtime gives for every exited container (null: none, the
     * default). The kubelet reports it before the termination message, separated by ": ", as
     * containerd and CRI-O can (e.g. for an OOM kill or a runtime error).
     */
    public SimulatedCluster runtimeExitMessage(String message) {
        runtime.exitMessage = message;
        return this;
    }

    /** Delay before a Job's replacement pod, doubling per failure (Kubernetes: 10 s); default none. */
    public SimulatedCluster podBackoff(Duration backoff) {
        jobController.podBackoff(backoff);
        return this;
    }

    /** The first delay before the Job controller tries a refused pod creation again (Kubernetes: 1 s, doubling to 60 s). */
    public SimulatedCluster createRetry(Duration first) {
        jobController.createRetry(first);
        return this;
    }

    /**
     * How long the garbage collector takes to act on a deleted Job's pods (Background: delete them;
     * Foreground: delete them, then release the Job; Orphan: strip their ownerReferences). Kubernetes
     * has no fixed value: the collector's queue lags by milliseconds when idle, by minutes under
     * load. Default 100 ms. Changing it applies to steps still waiting.
     */
    public SimulatedCluster gcDelay(Duration delay) {
        garbageCollector.delay(delay);
        return this;
    }

    /**
     * The kubelet's first delay before it tries a failed volume mount again, doubling per failure
     * up to 244 times it (Kubernetes: 500 ms doubling to 2 min 2 s). Default 50 ms.
     */
    public SimulatedCluster mountRetry(Duration first) {
        runtime.mountRetry = first;
        return this;
    }

    /**
     * How long the kubelet waits for a pod's volumes before it records "Unable to attach or mount
     * volumes" and starts waiting again (Kubernetes: 2 min 3 s). Default 500 ms.
     */
    public SimulatedCluster mountTimeout(Duration timeout) {
        runtime.mountTimeout = timeout;
        return this;
    }

    /**
     * How long a node's kubelet may be silent before the node lifecycle controller sets Ready=Unknown
     * and taints the node unreachable (node-monitor-grace-period: Kubernetes 40 s up to 1.31, 50 s
     * from 1.32). Default 200 ms.
     */
    public SimulatedCluster nodeMonitorGracePeriod(Duration gracePeriod) {
        nodeLifecycle.gracePeriod(gracePeriod);
        return this;
    }

    /**
     * How long the pod garbage collector waits, once a pod's Node object is gone, before it
     * force-deletes the pod (Kubernetes: a 40 s quarantine). Default 100 ms.
     */
    public SimulatedCluster podGcQuarantine(Duration quarantine) {
        podGarbageCollector.quarantine(quarantine);
        return this;
    }

    /** Clients act as the manifest's bound ServiceAccount, held to its Role: see {@link FakeApiServer#enforceRole}. */
    public SimulatedCluster enforceRole(Path roleYaml) throws IOException {
        api.enforceRole(roleYaml);
        return this;
    }

    /** {@link #enforceRole(Path)} with the Role applied in {@code namespace}, as kustomize's {@code namespace:} would. */
    public SimulatedCluster enforceRole(Path roleYaml, String namespace) throws IOException {
        api.enforceRole(roleYaml, namespace);
        return this;
    }

    // ---- nodes ----

    public void addNode(String name, long cpuMillis, Map<String, String> labels, List<V1Taint> taints) {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put("kubernetes.io/hostname", name);
        l.putIfAbsent("kubernetes.io/os", "linux");
        l.putIfAbsent("kubernetes.io/arch", "amd64");
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", Cpu.quantity(cpuMillis));
        capacity.put("memory", Quantity.fromString("8Gi"));
        capacity.put("pods", Quantity.fromString("110"));
        V1Node node = new V1Node()
                .metadata(new V1ObjectMeta().name(name).labels(l))
                .spec(new V1NodeSpec().taints(taints.isEmpty() ? null : new ArrayList<>(taints)))
                .status(new V1NodeStatus()
                        .capacity(capacity)
                        .allocatable(new LinkedHashMap<>(capacity))
                        .addConditionsItem(new V1NodeCondition()
                                .type("Ready")
                                .status("True")
                                .reason("KubeletReady")
                                .message("kubelet is posting ready status")
                                .lastHeartbeatTime(Times.now())
                                .lastTransitionTime(Times.now())));
        store.create(node);
        kubelets.put(name, new Kubelet(name, store, runtime, loop, events::add));
    }

    /** Sets a node's allocatable cpu, e.g. 0 to leave new pods Pending with "Insufficient cpu". */
    public void setCpu(String node, long millis) {
        fault("setCpu " + node + " " + millis + "m");
        updateNode(node, n -> {
            n.getStatus().getAllocatable().put("cpu", Cpu.quantity(millis));
            n.getStatus().getCapacity().put("cpu", Cpu.quantity(millis));
        });
    }

    public void cordon(String node) {
        fault("cordon " + node);
        updateNode(node, n -> n.getSpec().setUnschedulable(true));
    }

    public void uncordon(String node) {
        fault("uncordon " + node);
        updateNode(node, n -> n.getSpec().setUnschedulable(null));
    }

    public void taint(String node, String key, String value, String effect) {
        fault("taint " + node + " " + key + "=" + value + ":" + effect);
        updateNode(
                node,
                n -> n.getSpec()
                        .addTaintsItem(new V1Taint().key(key).value(value).effect(effect)));
    }

    // ---- faults ----

    /**
     * The next {@code times} container starts fail as a broken container runtime fails them:
     * the pod ends Failed, its container terminated with exit 128, reason StartError. Such a
     * failure counts against the Job's backoffLimit like any other.
     */
    public void failContainerStarts(int times) {
        fault("failContainerStarts " + times);
        runtime.startFailures.set(times);
    }

    /** Pods whose image matches stay Pending: ErrImagePull, then ImagePullBackOff. */
    public void failImagePull(String imageRegex) {
        fault("failImagePull " + imageRegex);
        runtime.failPulls(imageRegex);
    }

    public void clearImagePullFailures() {
        fault("clearImagePullFailures");
        runtime.clearPullFailures();
    }

    /**
     * Volumes whose persistentVolumeClaim.claimName matches never mount: their pods are scheduled,
     * then stay Pending, container waiting with reason ContainerCreating, while the kubelet records
     * Warning FailedMount events on them (see {@link #mountRetry}, {@link #mountTimeout}). Deleting
     * such a pod completes at once: no container ever ran.
     */
    public void hangVolumes(String claimRegex) {
        fault("hangVolumes " + claimRegex);
        runtime.hangVolumes(claimRegex);
    }

    /** Every volume mounts again: the pods that waited for one start. */
    public void clearVolumeHangs() {
        fault("clearVolumeHangs");
        runtime.clearVolumeHangs();
    }

    /**
     * A ResourceQuota on the namespace's cpu requests: a pod that would take them past cpuMillis is
     * refused (403, "exceeded quota: name, requested: ..."), so a Job's pods are never created and
     * its controller records FailedCreate events, retrying until the quota allows the pod.
     */
    public void quota(String namespace, String name, long cpuMillis) {
        fault("quota " + namespace + "/" + name + " requests.cpu=" + cpuMillis + "m");
        api.podAdmission().quota(namespace, new PodAdmission.Quota(name, cpuMillis));
    }

    public void removeQuota(String namespace) {
        fault("removeQuota " + namespace);
        api.podAdmission().quota(namespace, null);
    }

    /**
     * The namespace's pod-security.kubernetes.io/enforce label: "privileged" (the default),
     * "baseline" or "restricted". A pod that violates the level is refused ("violates PodSecurity
     * "restricted:latest": ..."), so a Job gets FailedCreate events and no pod.
     */
    public void podSecurity(String namespace, String level) {
        fault("podSecurity " + namespace + " enforce=" + level);
        api.podAdmission().podSecurity(namespace, PodSecurity.level(level));
    }

    /**
     * A LimitRange on the namespace's containers, {@code max.memory} only (null removes it): a
     * container without a memory limit or request gets the max as both; one whose limit is above
     * it is refused ("maximum memory usage per Container is 1Gi, but limit is 2Gi").
     */
    public void limitRange(String namespace, String maxMemoryPerContainer) {
        fault("limitRange " + namespace + " max.memory=" + maxMemoryPerContainer);
        api.podAdmission()
                .limitRange(
                        namespace,
                        maxMemoryPerContainer == null
                                ? null
                                : new MemoryLimitRange(Quantity.fromString(maxMemoryPerContainer)));
    }

    /** The ServiceAccount is deleted: pods that run as it are refused ("serviceaccount ... not found"). */
    public void removeServiceAccount(String namespace, String name) {
        fault("removeServiceAccount " + namespace + "/" + name);
        api.podAdmission().removeServiceAccount(namespace, name);
    }

    public void restoreServiceAccount(String namespace, String name) {
        fault("restoreServiceAccount " + namespace + "/" + name);
        api.podAdmission().restoreServiceAccount(namespace, name);
    }

    /** The Eviction API: DisruptionTarget=True (EvictionByEvictionAPI), then a graceful delete. */
    public void evict(String podName) {
        V1Pod pod = requirePod(podName);
        fault("evict " + podName);
        onLoop(() -> {
            store.update(
                    Pods.key(pod),
                    (V1Pod p) -> Pods.setCondition(
                            p, "DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting"));
            api.deletions().deletePod(Pods.key(pod), null);
        });
    }

    /**
     * The machine dies: its processes are SIGKILLed and its kubelet falls silent. What follows is
     * the control plane's doing, as on a real cluster: after {@link #nodeMonitorGracePeriod} the
     * node is Ready=Unknown and tainted unreachable (NoSchedule, NoExecute); when a pod's
     * toleration of that taint runs out (300 s unless the pod says otherwise) it gets
     * DisruptionTarget=True (DeletionByTaintManager) and a graceful delete that nobody completes:
     * it stays Terminating, in phase Running, until {@link #deleteNode}, {@link #markOutOfService}
     * or {@link #recoverNode}.
     */
    public void loseNode(String name) {
        Kubelet kubelet = kubelet(name);
        fault("loseNode " + name);
        onLoop(kubelet::die);
    }

    /**
     * The node is cut off from the control plane: as {@link #loseNode}, but its processes run on,
     * unseen, and may still write; they learn of their deletion only if the node comes back.
     */
    public void partitionNode(String name) {
        Kubelet kubelet = kubelet(name);
        fault("partitionNode " + name);
        onLoop(kubelet::partition);
    }

    /**
     * The node is back: after a partition its kubelet carries out what happened meanwhile (graceful
     * deletions, exits to report); after {@link #loseNode} it has rebooted, and pods that were
     * running there end Failed with ContainerStatusUnknown. It posts Ready, and the unreachable taints go.
     */
    public void recoverNode(String name) {
        Kubelet kubelet = kubelet(name);
        fault("recoverNode " + name);
        onLoop(kubelet::recover);
    }

    /**
     * The Node object is deleted (as kubectl delete node, or a cloud provider for a vanished VM):
     * after {@link #podGcQuarantine} the pod garbage collector marks its pods Failed with
     * DisruptionTarget=True (DeletionByPodGC) and force-deletes them. A partitioned node's
     * processes are not stopped by this.
     */
    public void deleteNode(String name) {
        kubelet(name);
        fault("deleteNode " + name);
        onLoop(() -> store.remove(new ObjectKey(ResourceKind.NODE, "", name)));
    }

    /**
     * The node.kubernetes.io/out-of-service=nodeshutdown:NoExecute taint, which an administrator
     * adds once sure the node is shut down: pods that do not tolerate it are evicted at once, and
     * the pod garbage collector marks terminating pods on a node that is not Ready Failed and
     * force-deletes them.
     */
    public void markOutOfService(String name) {
        kubelet(name);
        fault("markOutOfService " + name);
        updateNode(
                name,
                n -> n.getSpec()
                        .addTaintsItem(new V1Taint()
                                .key(Taints.OUT_OF_SERVICE)
                                .value("nodeshutdown")
                                .effect("NoExecute")
                                .timeAdded(Times.now())));
    }

    /** The kernel's OOM killer: SIGKILL, exit 137, reason OOMKilled (no DisruptionTarget). */
    public void oomKill(String podName) {
        V1Pod pod = requirePod(podName);
        fault("oomKill " + podName);
        onLoop(() -> {
            PodProcess run = processOf(pod);
            if (run == null) {
                throw new IllegalStateException("pod " + podName + " has no running process");
            }
            run.oomKilled = true;
            run.killAndWait();
        });
    }

    // ---- observation ----

    /** Faults injected and what the controllers did, in order. */
    public List<String> events() {
        return new ArrayList<>(events);
    }

    public List<V1Pod> pods() {
        return copies(ResourceKind.POD);
    }

    public List<V1Job> jobs() {
        return copies(ResourceKind.JOB);
    }

    public List<V1Node> nodes() {
        return copies(ResourceKind.NODE);
    }

    public Optional<V1Pod> pod(String name) {
        return pods().stream()
                .filter(p -> name.equals(p.getMetadata().getName()))
                .findFirst();
    }

    public Optional<V1Job> job(String name) {
        return jobs().stream()
                .filter(j -> name.equals(j.getMetadata().getName()))
                .findFirst();
    }

    /** How many times each Job name was created: any value above 1 is a duplicate launch. */
    public Map<String, Integer> jobsCreated() {
        Map<String, Integer> out = new HashMap<>();
        store.creations().forEach((k, n) -> {
            if (k.kind() == ResourceKind.JOB) {
                out.merge(k.name(), n, Integer::sum);
            }
        });
        return out;
    }

    /** Names of the pods whose main process is still running. */
    public Set<String> alivePodProcesses() {
        Set<String> out = new TreeSet<>();
        kubelets.values()
                .forEach(k -> k.runs().values().forEach(r -> {
                    if (r.alive()) {
                        out.add(r.podName);
                    }
                }));
        return out;
    }

    /** The main process of a pod running here, for a test to hold still or signal as a node's trouble would. */
    public Optional<ProcessHandle> podProcess(String podName) {
        for (Kubelet k : kubelets.values()) {
            for (PodProcess r : k.runs().values()) {
                if (r.podName.equals(podName) && r.alive()) {
                    return ProcessHandle.of(r.pid());
                }
            }
        }
        return Optional.empty();
    }

    /** Every container exit so far, with when it happened and when the API showed it. */
    public List<ProcessExit> processExits() {
        return new ArrayList<>(runtime.exits);
    }

    public V1Pod awaitPod(Predicate<V1Pod> condition, Duration timeout) {
        return awaitObject(ResourceKind.POD, condition, timeout);
    }

    public V1Job awaitJob(Predicate<V1Job> condition, Duration timeout) {
        return awaitObject(ResourceKind.JOB, condition, timeout);
    }

    public void await(BooleanSupplier condition, Duration timeout, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; events: " + events);
            }
            sleep(10);
        }
    }

    // ---- LogSource ----

    @Override
    public Optional<Path> logFile(String namespace, String pod, String container) {
        PodProcess run = processOf(store.peek(new ObjectKey(ResourceKind.POD, namespace, pod)), container);
        return run == null ? Optional.empty() : Optional.of(run.log);
    }

    @Override
    public boolean running(String namespace, String pod, String container) {
        PodProcess run = processOf(store.peek(new ObjectKey(ResourceKind.POD, namespace, pod)), container);
        return run != null && run.alive();
    }

    @Override
    public void close() {
        loop.close();
        kubelets.values().forEach(k -> k.runs().values().forEach(PodProcess::kill));
        api.close();
        try (Stream<Path> files = Files.walk(workRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    // ---- internals ----

    private PodProcess processOf(V1Pod pod) {
        if (pod == null || pod.getSpec().getNodeName() == null) {
            return null;
        }
        Kubelet k = kubelets.get(pod.getSpec().getNodeName());
        return k == null ? null : k.run(pod.getMetadata().getUid());
    }

    // Only the first container runs; any other is forever "waiting to start".
    private PodProcess processOf(V1Pod pod, String container) {
        if (pod == null || !pod.getSpec().getContainers().get(0).getName().equals(container)) {
            return null;
        }
        return processOf(pod);
    }

    private Kubelet kubelet(String name) {
        Kubelet kubelet = kubelets.get(name);
        if (kubelet == null) {
            throw new IllegalArgumentException("no node " + name);
        }
        return kubelet;
    }

    private V1Pod requirePod(String name) {
        return pod(name).orElseThrow(() -> new IllegalArgumentException("no pod " + name));
    }

    private void updateNode(String name, java.util.function.Consumer<V1Node> change) {
        if (store.update(new ObjectKey(ResourceKind.NODE, "", name), change) == null) {
            throw new IllegalArgumentException("no node " + name);
        }
    }

    private void fault(String what) {
        events.add("fault: " + what);
        System.err.println("[sim] fault: " + what);
    }

    /** Runs on the control loop, so a fault never races a controller, and waits for it. */
    private void onLoop(Runnable r) {
        if (loop.onLoopThread()) {
            r.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.post(() -> {
            try {
                r.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        done.join();
    }

    private <T extends io.kubernetes.client.common.KubernetesObject> List<T> copies(ResourceKind kind) {
        List<T> out = new ArrayList<>();
        for (Object o : store.peekAll(kind)) {
            @SuppressWarnings("unchecked")
            T t = (T) Json.copy(o);
            out.add(t);
        }
        return out;
    }

    private <T extends io.kubernetes.client.common.KubernetesObject> T awaitObject(
            ResourceKind kind, Predicate<T> condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        for (; ; ) {
            for (T o : this.<T>copies(kind)) {
                if (condition.test(o)) {
                    return o;
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(
                        "timed out after " + timeout + " waiting for a " + kind.kind + "; events: " + events);
            }
            sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
