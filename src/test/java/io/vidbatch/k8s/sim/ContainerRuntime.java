package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Volume;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * What every simulated kubelet shares: how images become local commands, which images fail to
 * pull and which volume claims never mount.
 */
final class ContainerRuntime {
    private record Entrypoint(Pattern image, List<String> command) {}

    final Path workRoot;
    final PathRewrites rewrites = new PathRewrites();
    private final List<Entrypoint> entrypoints = new CopyOnWriteArrayList<>();
    private final List<Pattern> pullFailures = new CopyOnWriteArrayList<>();
    private final List<Pattern> hangingClaims = new CopyOnWriteArrayList<>();
    /** The kubelet's first delay before it tries a failed mount again (Kubernetes: 500 ms, doubling). */
    volatile Duration mountRetry = Duration.ofMillis(50);
    /** How long the kubelet waits for a pod's volumes before it says so (Kubernetes: 2 min 3 s). */
    volatile Duration mountTimeout = Duration.ofMillis(500);

    final List<ProcessExit> exits = new CopyOnWriteArrayList<>();
    /** How many of the next container starts the runtime fails (a broken node runtime, a bad mount). */
    final java.util.concurrent.atomic.AtomicInteger startFailures = new java.util.concurrent.atomic.AtomicInteger();

    volatile boolean processGroups;
    /** What the container runtime says of an exited container; the kubelet puts it before the termination message. */
    volatile String exitMessage;
    /** Starts pod processes in parallel, away from the control loop. */
    final ExecutorService spawner = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "sim-spawner");
        t.setDaemon(true);
        return t;
    });

    ContainerRuntime(Path workRoot) {
        this.workRoot = workRoot;
    }

    void entrypoint(String imageRegex, List<String> command) {
        entrypoints.add(0, new Entrypoint(Pattern.compile(imageRegex), List.copyOf(command)));
    }

    /** The image's ENTRYPOINT, for containers that give only args; null if none is configured. */
    List<String> entrypointOf(String image) {
        for (Entrypoint e : entrypoints) {
            if (e.image.matcher(image).matches()) {
                return e.command;
            }
        }
        return null;
    }

    /** True when this start is one the runtime fails; counts it. */
    boolean startFails() {
        return startFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    void failPulls(String imageRegex) {
        pullFailures.add(Pattern.compile(imageRegex));
    }

    void clearPullFailures() {
        pullFailures.clear();
    }

    boolean pullFails(String image) {
        return pullFailures.stream().anyMatch(p -> p.matcher(image).matches());
    }

    void hangVolumes(String claimRegex) {
        hangingClaims.add(Pattern.compile(claimRegex));
    }

    void clearVolumeHangs() {
        hangingClaims.clear();
    }

    /** The names of the pod's volumes whose persistentVolumeClaim never mounts. */
    List<String> hangingVolumes(V1Pod pod) {
        List<String> out = new ArrayList<>();
        if (pod.getSpec().getVolumes() != null) {
            for (V1Volume v : pod.getSpec().getVolumes()) {
                String claim = v.getPersistentVolumeClaim() == null
                        ? null
                        : v.getPersistentVolumeClaim().getClaimName();
                if (claim != null
                        && hangingClaims.stream().anyMatch(p -> p.matcher(claim).matches())) {
                    out.add(v.getName());
                }
            }
        }
        return out;
    }

    /** The environment every container starts from, before the pod's own variables. */
    static Map<String, String> baseEnv(String hostname) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG", "JAVA_HOME", "TMPDIR")) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        env.put("HOSTNAME", hostname);
        return env;
    }

    /** Whether argv[0] can be executed, resolving a bare name on PATH as the runtime would. */
    static boolean executable(String command, Map<String, String> env) {
        if (command.contains("/")) {
            return Files.isExecutable(Path.of(command));
        }
        List<String> dirs = new ArrayList<>(
                List.of(env.getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)));
        return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }
}
