package io.vidbatch.launch.kubernetes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How worker pods are made: server variables {@code k8s.*}, each overridable by an environment
 * variable ({@code K8S_NAMESPACE}, {@code K8S_WORKER_IMAGE}, ...). See kubernetes/README.md, "Launcher settings".
 */
@ApplicationScoped
public class KubernetesSettings {

    @Inject
    @ConfigProperty(name = "k8s.kubeconfig")
    Optional<String> kubeconfig;

    @Inject
    @ConfigProperty(name = "k8s.namespace")
    Optional<String> namespace;

    @Inject
    @ConfigProperty(name = "k8s.job.prefix", defaultValue = "vb")
    String jobPrefix;

    @Inject
    @ConfigProperty(name = "k8s.worker.image", defaultValue = "vidbatch-worker:latest")
    String image;

    @Inject
    @ConfigProperty(
            name = "k8s.worker.command",
            defaultValue =
                    "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:SharedArchiveFile=/opt/vidbatch/worker/vidbatch-worker.jsa -Xshare:auto -jar /opt/vidbatch/worker/vidbatch-worker.jar")
    String command;

    @Inject
    @ConfigProperty(name = "k8s.image.pull.policy", defaultValue = "IfNotPresent")
    String imagePullPolicy;

    @Inject
    @ConfigProperty(name = "k8s.media.claim")
    Optional<String> mediaClaim;

    @Inject
    @ConfigProperty(name = "k8s.media.path", defaultValue = "/media")
    String mediaPath;

    @Inject
    @ConfigProperty(name = "k8s.service.account", defaultValue = "vidbatch-worker")
    String serviceAccount;

    @Inject
    @ConfigProperty(name = "k8s.run.as.user", defaultValue = "1001")
    long runAsUser;

    @Inject
    @ConfigProperty(name = "k8s.cpu.request", defaultValue = "1")
    String cpuRequest;

    @Inject
    @ConfigProperty(name = "k8s.cpu.limit")
    Optional<String> cpuLimit;

    @Inject
    @ConfigProperty(name = "k8s.memory.request", defaultValue = "512Mi")
    String memoryRequest;

    @Inject
    @ConfigProperty(name = "k8s.memory.limit", defaultValue = "2Gi")
    String memoryLimit;

    @Inject
    @ConfigProperty(name = "k8s.node.selector")
    Optional<String> nodeSelector;

    @Inject
    @ConfigProperty(name = "k8s.tolerations")
    Optional<String> tolerations;

    @Inject
    @ConfigProperty(name = "k8s.affinity")
    Optional<String> affinity;

    @Inject
    @ConfigProperty(name = "k8s.topology.spread")
    Optional<String> topologySpread;

    @Inject
    @ConfigProperty(name = "k8s.pending.timeout.seconds", defaultValue = "300")
    int pendingTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "k8s.backoff.limit", defaultValue = "2")
    int backoffLimit;

    @Inject
    @ConfigProperty(name = "k8s.ttl.seconds.after.finished", defaultValue = "600")
    int ttlSecondsAfterFinished;

    @Inject
    @ConfigProperty(name = "k8s.termination.grace.seconds", defaultValue = "30")
    long terminationGraceSeconds;

    @Inject
    @ConfigProperty(name = "k8s.resync.seconds", defaultValue = "30")
    int resyncSeconds;

    public Optional<String> kubeconfig() {
        return kubeconfig.filter(s -> !s.isBlank());
    }

    public Optional<String> namespace() {
        return namespace.filter(s -> !s.isBlank());
    }

    public String jobPrefix() {
        return jobPrefix;
    }

    public String image() {
        return image;
    }

    public List<String> command() {
        return Arrays.stream(command.trim().split("\\s+")).toList();
    }

    public String imagePullPolicy() {
        return imagePullPolicy;
    }

    public Optional<String> mediaClaim() {
        return mediaClaim.filter(s -> !s.isBlank());
    }

    public String mediaPath() {
        return mediaPath;
    }

    public String serviceAccount() {
        return serviceAccount;
    }

    public long runAsUser() {
        return runAsUser;
    }

    public String cpuRequest() {
        return cpuRequest;
    }

    public Optional<String> cpuLimit() {
        return cpuLimit.filter(s -> !s.isBlank());
    }

    public String memoryRequest() {
        return memoryRequest;
    }

    public String memoryLimit() {
        return memoryLimit;
    }

    /** {@code disktype=ssd,pool=transcode} as a map. */
    public Map<String, String> nodeSelector() {
        Map<String, String> m = new LinkedHashMap<>();
        nodeSelector.filter(s -> !s.isBlank()).ifPresent(s -> {
            for (String kv : s.split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2) {
                    m.put(p[0].strip(), p[1].strip());
                }
            }
        });
        return m;
    }

    /** JSON lists/objects in the Kubernetes API's own form, e.g. {@code [{"key":"gpu","operator":"Exists"}]}. */
    public Optional<String> tolerationsJson() {
        return tolerations.filter(s -> !s.isBlank());
    }

    public Optional<String> affinityJson() {
        return affinity.filter(s -> !s.isBlank());
    }

    public Optional<String> topologySpreadJson() {
        return topologySpread.filter(s -> !s.isBlank());
    }

    public int pendingTimeoutSeconds() {
        return pendingTimeoutSeconds;
    }

    public int backoffLimit() {
        return backoffLimit;
    }

    public int ttlSecondsAfterFinished() {
        return ttlSecondsAfterFinished;
    }

    public long terminationGraceSeconds() {
        return terminationGraceSeconds;
    }

    public int resyncSeconds() {
        return resyncSeconds;
    }
}
