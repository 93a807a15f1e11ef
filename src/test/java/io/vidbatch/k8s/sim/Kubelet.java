package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1Pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One node's kubelet: runs the first container of each pod bound to the node as a local process,
 * reports Running and then the terminated state with the termination message, and carries out
 * graceful deletion (SIGTERM, SIGKILL after the grace period, then the final delete). While up it
 * keeps the node's heartbeat (the Lease a real kubelet renews) fresh and its Ready condition True.
 */
final class Kubelet {
    private static final long BACKOFF_AFTER_NANOS = 100_000_000L;

    final String node;
    private final ObjectStore store;
    private final ContainerRuntime runtime;
    private final ControlLoop loop;
    private final Consumer<String> faultLog;
    private final Map<String, PodProcess> runs = new ConcurrentHashMap<>();
    private final Map<String, Long> pullFailedAt = new HashMap<>();
    private final Set<String> starting = new HashSet<>();
    private final VolumeManager volumes;
    private volatile State state = State.UP;
    private volatile long heartbeatNanos = System.nanoTime();

    /** PARTITIONED: its processes run on, but it neither hears from nor reports to the API server. */
    enum State {
        UP,
        PARTITIONED,
        DEAD
    }

    Kubelet(String node, ObjectStore store, ContainerRuntime runtime, ControlLoop loop, Consumer<String> faultLog) {
        this.node = node;
        this.store = store;
        this.runtime = runtime;
        this.loop = loop;
        this.faultLog = faultLog;
        this.volumes = new VolumeManager(runtime, new EventRecorder(store, "kubelet", node));
    }

    PodProcess run(String podUid) {
        return runs.get(podUid);
    }

    Map<String, PodProcess> runs() {
        return runs;
    }

    /** When the kubelet last renewed its heartbeat (System.nanoTime). */
    long heartbeatNanos() {
        return heartbeatNanos;
    }

    /** The machine dies: every process is SIGKILLed with its sandbox, and nothing is reported any more. */
    void die() {
        state = State.DEAD;
        runs.values().forEach(r -> {
            r.killAndWait();
            r.deleteSandbox();
        });
        runs.clear();
        pullFailedAt.clear();
    }

    void partition() {
        state = State.PARTITIONED;
    }

    /** Reachable again, or rebooted: what it finds on the API server it now carries out. */
    void recover() {
        state = State.UP;
    }

    void reconcile() {
        if (state != State.UP) {
            return;
        }
        heartbeatNanos = System.nanoTime();
        postReady();
        Set<String> present = new HashSet<>();
        for (V1Pod pod : store.<V1Pod>peekAll(ResourceKind.POD)) {
            if (node.equals(pod.getSpec().getNodeName())) {
                present.add(pod.getMetadata().getUid());
                sync(pod);
            }
        }
        // A pod removed from the API (force-deleted, or done) is torn down here too.
        runs.entrySet().removeIf(e -> {
            if (present.contains(e.getKey())) {
                return false;
            }
            e.getValue().kill();
            e.getValue().deleteSandbox();
            return true;
        });
        pullFailedAt.keySet().retainAll(present);
        volumes.retain(present);
    }

    private void sync(V1Pod pod) {
        String uid = pod.getMetadata().getUid();
        PodProcess run = runs.get(uid);
        if (run == null) {
            if (starting.contains(uid)) {
                return;
            }
            // Running without a process here: its container went when the machine died.
            if (Pods.terminal(pod) || Pods.deleting(pod) || "Running".equals(Pods.phase(pod))) {
                finishWithoutProcess(pod);
            } else if (!volumes.mounted(pod)) {
                reportWaiting(pod, "ContainerCreating", null, false);
            } else if (runtime.pullFails(image(pod))) {
                reportPullFailure(pod);
            } else {
                start(pod);
            }
            return;
        }
        if (run.alive() && "Pending".equals(Pods.phase(pod))) {
            reportRunning(pod, run); // it started while the node was cut off
        }
        if (!run.alive()) {
            if (!run.reported) {
                report(pod, run);
            } else if (Pods.deleting(pod)) {
                finalDelete(pod);
            }
            return;
        }
        if (Pods.deleting(pod)) {
            if (!run.termSent) {
                run.terminate();
                long grace = pod.getMetadata().getDeletionGracePeriodSeconds() == null
                        ? 30
                        : pod.getMetadata().getDeletionGracePeriodSeconds();
                run.killAtNanos = System.nanoTime() + grace * 1_000_000_000L;
            } else if (System.nanoTime() >= run.killAtNanos) {
                run.kill();
            }
        }
    }

    private void start(V1Pod pod) {
        V1Container c = pod.getSpec().getContainers().get(0);
        String uid = pod.getMetadata().getUid();
        List<String> command = command(c);
        Map<String, String> env = ContainerRuntime.baseEnv(pod.getMetadata().getName());
        Path sandbox = runtime.workRoot.resolve(
                pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + "_" + uid.substring(0, 8));
        env.putAll(env(pod, c));
        env.put("VIDBATCH_RESULT_FILE", PodProcess.resultFileIn(sandbox).toString());
        if (command.isEmpty()) {
            startError(
                    pod,
                    "no command specified: the image's entrypoint is unknown to the simulator "
                            + "(configure SimulatedCluster.imageEntrypoint)");
            return;
        }
        if (runtime.startFails()) {
            // What containerd says when runc cannot set up the container: exit 128, reason StartError.
            startError(
                    pod,
                    "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
                            + "runc create failed: unable to start container process: error during container init: "
                            + "error setting cgroup config for procHooks process: unable to freeze: unknown");
            return;
        }
        if (!ContainerRuntime.executable(command.get(0), env)) {
            startError(
                    pod,
                    "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
                            + "runc create failed: unable to start container process: exec: \"" + command.get(0)
                            + "\": executable file not found in $PATH: unknown");
            return;
        }
        String wd = runtime.rewrites.apply(c.getWorkingDir());
        Path workDir = wd != null && Files.isDirectory(Path.of(wd)) ? Path.of(wd) : sandbox;
        ObjectKey key = Pods.key(pod);
        String name = pod.getMetadata().getName();
        starting.add(uid);
        // Starting a process takes milliseconds; off the loop, so other pods' exits are not kept waiting.
        runtime.spawner.execute(() -> {
            PodProcess run = null;
            String error = null;
            try {
                run = PodProcess.start(name, sandbox, command, env, workDir, runtime.processGroups, loop::wake);
            } catch (IOException e) {
                error = e.getMessage();
            }
            PodProcess started = run;
            String failure = error;
            loop.post(() -> started(key, uid, started, failure));
        });
    }

    private void started(ObjectKey key, String uid, PodProcess run, String error) {
        starting.remove(uid);
        V1Pod pod = store.peek(key);
        if (state == State.DEAD || pod == null || !uid.equals(pod.getMetadata().getUid())) {
            if (run != null) {
                run.kill();
                run.deleteSandbox();
            }
            return;
        }
        if (run == null) {
            startError(pod, "failed to start container process: " + error);
            return;
        }
        runs.put(uid, run);
        if (state == State.UP) {
            reportRunning(pod, run);
        }
    }

    private void reportRunning(V1Pod pod, PodProcess run) {
        V1Container c = pod.getSpec().getContainers().get(0);
        String uid = pod.getMetadata().getUid();
        store.update(Pods.key(pod), (V1Pod p) -> {
            p.getStatus().phase("Running").startTime(Times.now());
            Pods.setCondition(p, "PodReadyToStartContainers", "True", null, null);
            Pods.setCondition(p, "Initialized", "True", null, null);
            Pods.setCondition(p, "Ready", "True", null, null);
            Pods.setCondition(p, "ContainersReady", "True", null, null);
            p.getStatus()
                    .setContainerStatuses(List.of(status(c, uid, true)
                            .started(true)
                            .state(new V1ContainerState()
                                    .running(new V1ContainerStateRunning().startedAt(run.startedAt)))));
        });
    }

    private void postReady() {
        V1Node n = store.peek(new ObjectKey(ResourceKind.NODE, "", node));
        V1NodeCondition ready = n == null || n.getStatus().getConditions() == null
                ? null
                : n.getStatus().getConditions().stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .findFirst()
                        .orElse(null);
        if (ready != null && !"True".equals(ready.getStatus())) {
            store.update(
                    new ObjectKey(ResourceKind.NODE, "", node),
                    (V1Node x) -> x.getStatus()
                            .getConditions()
                            .forEach(c -> c.status("True")
                                    .reason("KubeletReady")
                                    .message("kubelet is posting ready status")
                                    .lastHeartbeatTime(Times.now())
                                    .lastTransitionTime(Times.now())));
        }
    }

    private void report(V1Pod pod, PodProcess run) {
        V1Container c = pod.getSpec().getContainers().get(0);
        int code = run.exitCode();
        boolean failed = code != 0;
        String reason = run.oomKilled ? "OOMKilled" : failed ? "Error" : "Completed";
        String message;
        try {
            message = run.terminationMessage(c.getTerminationMessagePolicy(), failed);
        } catch (IOException e) {
            message = null;
        }
        // Like the kubelet: the runtime's own message, then ": " and the file's (either may be absent).
        String runtimeMessage = runtime.exitMessage;
        String msg =
                runtimeMessage == null ? message : message == null ? runtimeMessage : runtimeMessage + ": " + message;
        V1ContainerStateTerminated terminated = new V1ContainerStateTerminated()
                .exitCode(code)
                .reason(reason)
                .message(msg)
                .startedAt(run.startedAt)
                .finishedAt(Times.now())
                .containerID("sim://" + pod.getMetadata().getUid());
        store.update(Pods.key(pod), (V1Pod p) -> terminate(p, c, failed ? "Failed" : "Succeeded", terminated));
        run.reported = true;
        run.cleanUp();
        Instant exited = run.exited == null ? Instant.now() : run.exited;
        runtime.exits.add(new ProcessExit(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                code,
                pod.getMetadata().getCreationTimestamp().toInstant(),
                run.launched,
                exited,
                Instant.now()));
    }

    private void startError(V1Pod pod, String message) {
        V1Container c = pod.getSpec().getContainers().get(0);
        faultLog.accept("kubelet " + node + ": pod " + pod.getMetadata().getName() + " StartError: " + message);
        V1ContainerStateTerminated terminated = new V1ContainerStateTerminated()
                .exitCode(128)
                .reason("StartError")
                .message(message)
                .startedAt(Times.now())
                .finishedAt(Times.now());
        store.update(Pods.key(pod), (V1Pod p) -> terminate(p, c, "Failed", terminated));
    }

    /** A pod that is deleted or already terminal without a process here (never started, or failed elsewhere). */
    private void finishWithoutProcess(V1Pod pod) {
        if (!Pods.terminal(pod)) {
            V1Container c = pod.getSpec().getContainers().get(0);
            V1ContainerStateTerminated terminated = new V1ContainerStateTerminated()
                    .exitCode(137)
                    .reason("ContainerStatusUnknown")
                    .message("The container could not be located when the pod was terminated");
            store.update(Pods.key(pod), (V1Pod p) -> terminate(p, c, "Failed", terminated));
        } else if (Pods.deleting(pod)) {
            finalDelete(pod);
        }
    }

    private void finalDelete(V1Pod pod) {
        if (!Long.valueOf(0).equals(pod.getMetadata().getDeletionGracePeriodSeconds())) {
            store.update(Pods.key(pod), (V1Pod p) -> p.getMetadata().setDeletionGracePeriodSeconds(0L));
        }
    }

    private void reportPullFailure(V1Pod pod) {
        String uid = pod.getMetadata().getUid();
        String image = image(pod);
        Long since = pullFailedAt.get(uid);
        String reason;
        String message;
        if (since == null) {
            pullFailedAt.put(uid, System.nanoTime());
            faultLog.accept("kubelet " + node + ": pod " + pod.getMetadata().getName() + " ErrImagePull " + image);
            reason = "ErrImagePull";
            message = "failed to pull and unpack image \"" + image + "\": failed to resolve reference \"" + image
                    + "\": " + image + ": not found";
        } else if (System.nanoTime() - since > BACKOFF_AFTER_NANOS && !"ImagePullBackOff".equals(waitingReason(pod))) {
            reason = "ImagePullBackOff";
            message = "Back-off pulling image \"" + image + "\"";
        } else {
            return;
        }
        reportWaiting(pod, reason, message, true);
    }

    /** Pending with the container waiting; the sandbox is made only once the volumes are mounted. */
    private void reportWaiting(V1Pod pod, String reason, String message, boolean sandboxReady) {
        if (reason.equals(waitingReason(pod))) {
            return;
        }
        V1Container c = pod.getSpec().getContainers().get(0);
        String uid = pod.getMetadata().getUid();
        store.update(Pods.key(pod), (V1Pod p) -> {
            String notReady = "containers with unready status: [" + c.getName() + "]";
            Pods.setCondition(p, "PodReadyToStartContainers", sandboxReady ? "True" : "False", null, null);
            Pods.setCondition(p, "Initialized", "True", null, null);
            Pods.setCondition(p, "Ready", "False", "ContainersNotReady", notReady);
            Pods.setCondition(p, "ContainersReady", "False", "ContainersNotReady", notReady);
            p.getStatus()
                    .setContainerStatuses(List.of(status(c, uid, false)
                            .imageID("")
                            .started(false)
                            .state(new V1ContainerState()
                                    .waiting(new V1ContainerStateWaiting()
                                            .reason(reason)
                                            .message(message)))));
        });
    }

    private static void terminate(V1Pod p, V1Container c, String phase, V1ContainerStateTerminated terminated) {
        p.getStatus().setPhase(phase);
        Pods.setCondition(p, "PodReadyToStartContainers", "False", null, null);
        Pods.setCondition(p, "Ready", "False", "PodCompleted", null);
        Pods.setCondition(p, "ContainersReady", "False", "PodCompleted", null);
        p.getStatus()
                .setContainerStatuses(List.of(status(c, p.getMetadata().getUid(), false)
                        .started(false)
                        .state(new V1ContainerState().terminated(terminated))));
    }

    // name, image, imageID, ready and restartCount are required: client-java rejects a status without them.
    private static V1ContainerStatus status(V1Container c, String podUid, boolean ready) {
        return new V1ContainerStatus()
                .name(c.getName())
                .image(c.getImage())
                .imageID("sim://" + c.getImage())
                .containerID("sim://" + podUid)
                .ready(ready)
                .restartCount(0);
    }

    private List<String> command(V1Container c) {
        List<String> out = new ArrayList<>();
        List<String> entry = c.getCommand() != null && !c.getCommand().isEmpty()
                ? c.getCommand()
                : runtime.entrypointOf(c.getImage());
        if (entry == null) {
            return out;
        }
        entry.forEach(s -> out.add(runtime.rewrites.apply(s)));
        if (c.getArgs() != null) {
            c.getArgs().forEach(s -> out.add(runtime.rewrites.apply(s)));
        }
        return out;
    }

    private Map<String, String> env(V1Pod pod, V1Container c) {
        Map<String, String> env = new HashMap<>();
        if (c.getEnv() == null) {
            return env;
        }
        for (V1EnvVar v : c.getEnv()) {
            if (v.getValue() != null) {
                env.put(v.getName(), runtime.rewrites.apply(v.getValue()));
            } else if (v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null) {
                String field = v.getValueFrom().getFieldRef().getFieldPath();
                String value = switch (field) {
                    case "metadata.name" -> pod.getMetadata().getName();
                    case "metadata.namespace" -> pod.getMetadata().getNamespace();
                    case "metadata.uid" -> pod.getMetadata().getUid();
                    case "spec.nodeName" -> pod.getSpec().getNodeName();
                    default -> null;
                };
                if (value != null) {
                    env.put(v.getName(), value);
                }
            } else if (v.getValueFrom() != null) {
                faultLog.accept("kubelet " + node + ": env " + v.getName() + " of pod "
                        + pod.getMetadata().getName() + " uses a source the simulator does not resolve; left unset");
            } else {
                env.put(v.getName(), "");
            }
        }
        return env;
    }

    private static String image(V1Pod pod) {
        return pod.getSpec().getContainers().get(0).getImage();
    }

    private static String waitingReason(V1Pod pod) {
        List<V1ContainerStatus> s =
                pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        if (s == null
                || s.isEmpty()
                || s.get(0).getState() == null
                || s.get(0).getState().getWaiting() == null) {
            return null;
        }
        return s.get(0).getState().getWaiting().getReason();
    }
}
