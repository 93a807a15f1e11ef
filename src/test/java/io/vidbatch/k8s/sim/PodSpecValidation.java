package io.vidbatch.k8s.sim;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parts of core/v1 ValidatePodSpec a client building pods gets wrong: container and volume
 * names (DNS-1123 labels, unique), images, env var names, mounts of volumes that exist, requests
 * above limits, the restart policy. Run on a pod and on a Job's pod template alike.
 */
final class PodSpecValidation {
    private PodSpecValidation() {}

    static void podSpec(V1PodSpec spec, String path, FieldErrors errs) {
        Set<String> volumes = volumes(spec.getVolumes(), path + ".volumes", errs);
        List<V1Container> containers = spec.getContainers();
        if (containers == null || containers.isEmpty()) {
            errs.required(path + ".containers", "");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < containers.size(); i++) {
                container(containers.get(i), path + ".containers[" + i + "]", names, volumes, errs);
            }
        }
        String restart = spec.getRestartPolicy();
        if (restart != null && !List.of("Always", "OnFailure", "Never").contains(restart)) {
            errs.notSupported(path + ".restartPolicy", restart, List.of("Always", "OnFailure", "Never"));
        }
    }

    private static Set<String> volumes(List<V1Volume> volumes, String path, FieldErrors errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; volumes != null && i < volumes.size(); i++) {
            String name = volumes.get(i).getName();
            String at = path + "[" + i + "].name";
            if (name == null || name.isEmpty()) {
                errs.required(at, "");
            } else {
                NameRules.dns1123Label(name).forEach(m -> errs.invalid(at, name, m));
                if (!names.add(name)) {
                    errs.duplicate(at, name);
                }
            }
        }
        return names;
    }

    private static void container(
            V1Container c, String path, Set<String> names, Set<String> volumes, FieldErrors errs) {
        String name = c.getName();
        if (name == null || name.isEmpty()) {
            errs.required(path + ".name", "");
        } else {
            NameRules.dns1123Label(name).forEach(m -> errs.invalid(path + ".name", name, m));
            if (!names.add(name)) {
                errs.duplicate(path + ".name", name);
            }
        }
        if (c.getImage() == null || c.getImage().isBlank()) {
            errs.required(path + ".image", "");
        }
        List<V1EnvVar> env = c.getEnv();
        for (int i = 0; env != null && i < env.size(); i++) {
            String var = env.get(i).getName();
            String at = path + ".env[" + i + "].name";
            if (var == null || var.isEmpty()) {
                errs.required(at, "");
            } else {
                NameRules.envVarName(var).forEach(m -> errs.invalid(at, var, m));
            }
        }
        List<V1VolumeMount> mounts = c.getVolumeMounts();
        for (int i = 0; mounts != null && i < mounts.size(); i++) {
            V1VolumeMount m = mounts.get(i);
            String at = path + ".volumeMounts[" + i + "]";
            if (m.getName() == null || m.getName().isEmpty()) {
                errs.required(at + ".name", "");
            } else if (!volumes.contains(m.getName())) {
                errs.notFound(at + ".name", m.getName());
            }
            if (m.getMountPath() == null || m.getMountPath().isEmpty()) {
                errs.required(at + ".mountPath", "");
            }
        }
        if (c.getResources() != null
                && c.getResources().getRequests() != null
                && c.getResources().getLimits() != null) {
            Map<String, Quantity> limits = c.getResources().getLimits();
            new TreeMap<>(c.getResources().getRequests()).forEach((resource, request) -> {
                Quantity limit = limits.get(resource);
                if (limit != null && request.getNumber().compareTo(limit.getNumber()) > 0) {
                    errs.invalid(
                            path + ".resources.requests",
                            request.toSuffixedString(),
                            "must be less than or equal to " + resource + " limit of " + limit.toSuffixedString());
                }
            });
        }
    }
}
