package io.vidbatch.k8s.sim;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The Pod Security Standards' checks a pod spec is most likely to fail, worded and ordered as
 * the PodSecurity admission plugin reports them
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/). Baseline: added
 * capabilities beyond the runtime's defaults, host namespaces, hostPath volumes, privileged.
 * Restricted adds: allowPrivilegeEscalation=false,
 * capabilities drop ALL (add at most NET_BIND_SERVICE), the allowed volume types,
 * runAsNonRoot=true, runAsUser not 0, seccompProfile RuntimeDefault or Localhost.
 */
final class PodSecurity {
    enum Level {
        PRIVILEGED,
        BASELINE,
        RESTRICTED
    }

    private static final Set<String> RESTRICTED_VOLUME_TYPES_ALLOWED = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");

    /** What a container runtime grants by default, which baseline lets a container add. */
    private static final Set<String> BASELINE_CAPABILITIES = Set.of(
            "AUDIT_WRITE",
            "CHOWN",
            "DAC_OVERRIDE",
            "FOWNER",
            "FSETID",
            "KILL",
            "MKNOD",
            "NET_BIND_SERVICE",
            "SETFCAP",
            "SETGID",
            "SETPCAP",
            "SETUID",
            "SYS_CHROOT");

    private PodSecurity() {}

    static Level level(String name) {
        return Level.valueOf(name.toUpperCase());
    }

    /** Null if the pod meets the level, else what the plugin says after "is forbidden: ". */
    static String violation(V1PodSpec spec, Level level) {
        List<String> found = new ArrayList<>();
        if (level == Level.BASELINE) {
            // At restricted, "unrestricted capabilities" replaces this check.
            nonDefaultCapabilities(spec, found);
        }
        if (level != Level.PRIVILEGED) {
            hostNamespaces(spec, found);
            hostPathVolumes(spec, found);
            containersWhere(
                    spec,
                    c -> bool(sc(c).getPrivileged()),
                    found,
                    "privileged",
                    "must not set securityContext.privileged=true");
        }
        if (level == Level.RESTRICTED) {
            containersWhere(
                    spec,
                    c -> !Boolean.FALSE.equals(sc(c).getAllowPrivilegeEscalation()),
                    found,
                    "allowPrivilegeEscalation != false",
                    "must set securityContext.allowPrivilegeEscalation=false");
            capabilities(spec, found);
            restrictedVolumes(spec, found);
            runAsNonRoot(spec, found);
            runAsUser(spec, found);
            seccomp(spec, found);
        }
        return found.isEmpty()
                ? null
                : "violates PodSecurity \"" + level.name().toLowerCase() + ":latest\": " + String.join(", ", found);
    }

    private static void nonDefaultCapabilities(V1PodSpec spec, List<String> found) {
        List<String> adding = new ArrayList<>();
        Set<String> added = new TreeSet<>();
        for (V1Container c : containers(spec)) {
            V1Capabilities caps = sc(c).getCapabilities();
            List<String> bad = caps == null || caps.getAdd() == null
                    ? List.of()
                    : caps.getAdd().stream()
                            .filter(a -> !BASELINE_CAPABILITIES.contains(a))
                            .toList();
            if (!bad.isEmpty()) {
                adding.add(c.getName());
                added.addAll(bad);
            }
        }
        if (!adding.isEmpty()) {
            found.add("non-default capabilities (" + plural("container", "containers", adding) + " " + joinQuote(adding)
                    + " must not include " + joinQuote(List.copyOf(added)) + " in securityContext.capabilities.add)");
        }
    }

    private static void hostNamespaces(V1PodSpec spec, List<String> found) {
        List<String> host = new ArrayList<>();
        if (bool(spec.getHostNetwork())) {
            host.add("hostNetwork=true");
        }
        if (bool(spec.getHostPID())) {
            host.add("hostPID=true");
        }
        if (bool(spec.getHostIPC())) {
            host.add("hostIPC=true");
        }
        if (!host.isEmpty()) {
            found.add("host namespaces (" + String.join(", ", host) + ")");
        }
    }

    private static void hostPathVolumes(V1PodSpec spec, List<String> found) {
        List<String> names = volumes(spec).stream()
                .filter(v -> v.getHostPath() != null)
                .map(V1Volume::getName)
                .toList();
        if (!names.isEmpty()) {
            found.add("hostPath volumes (" + plural("volume", "volumes", names) + " " + joinQuote(names) + ")");
        }
    }

    private static void capabilities(V1PodSpec spec, List<String> found) {
        List<String> missingDrop = new ArrayList<>();
        List<String> adding = new ArrayList<>();
        Set<String> added = new TreeSet<>();
        for (V1Container c : containers(spec)) {
            V1Capabilities caps = sc(c).getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
                missingDrop.add(c.getName());
            }
            List<String> bad = caps == null || caps.getAdd() == null
                    ? List.of()
                    : caps.getAdd().stream()
                            .filter(a -> !a.equals("NET_BIND_SERVICE"))
                            .toList();
            if (!bad.isEmpty()) {
                adding.add(c.getName());
                added.addAll(bad);
            }
        }
        List<String> details = new ArrayList<>();
        if (!missingDrop.isEmpty()) {
            details.add(plural("container", "containers", missingDrop) + " " + joinQuote(missingDrop)
                    + " must set securityContext.capabilities.drop=[\"ALL\"]");
        }
        if (!adding.isEmpty()) {
            details.add(plural("container", "containers", adding) + " " + joinQuote(adding) + " must not include "
                    + joinQuote(List.copyOf(added)) + " in securityContext.capabilities.add");
        }
        if (!details.isEmpty()) {
            found.add("unrestricted capabilities (" + String.join("; ", details) + ")");
        }
    }

    private static void restrictedVolumes(V1PodSpec spec, List<String> found) {
        List<String> names = new ArrayList<>();
        Set<String> types = new TreeSet<>();
        for (V1Volume v : volumes(spec)) {
            String type = volumeType(v);
            if (type != null && !RESTRICTED_VOLUME_TYPES_ALLOWED.contains(type)) {
                names.add(v.getName());
                types.add(type);
            }
        }
        if (!names.isEmpty()) {
            found.add("restricted volume types (" + plural("volume", "volumes", names) + " " + joinQuote(names) + " "
                    + plural("uses", "use", names) + " "
                    + (types.size() == 1 ? "restricted volume type" : "restricted volume types")
                    + " " + joinQuote(List.copyOf(types)) + ")");
        }
    }

    private static void runAsNonRoot(V1PodSpec spec, List<String> found) {
        Boolean pod = podSc(spec).getRunAsNonRoot();
        List<String> setters = new ArrayList<>();
        if (Boolean.FALSE.equals(pod)) {
            setters.add("pod");
        }
        List<String> explicit = names(spec, c -> Boolean.FALSE.equals(sc(c).getRunAsNonRoot()));
        List<String> implicit = names(spec, c -> sc(c).getRunAsNonRoot() == null && !Boolean.TRUE.equals(pod));
        if (!explicit.isEmpty()) {
            setters.add(plural("container", "containers", explicit) + " " + joinQuote(explicit));
        }
        if (!setters.isEmpty()) {
            found.add("runAsNonRoot != true (" + String.join(" and ", setters)
                    + " must not set securityContext.runAsNonRoot=false)");
        } else if (!implicit.isEmpty()) {
            found.add("runAsNonRoot != true (pod or " + plural("container", "containers", implicit) + " "
                    + joinQuote(implicit) + " must set securityContext.runAsNonRoot=true)");
        }
    }

    private static void runAsUser(V1PodSpec spec, List<String> found) {
        List<String> setters = new ArrayList<>();
        if (Long.valueOf(0).equals(podSc(spec).getRunAsUser())) {
            setters.add("pod");
        }
        List<String> root = names(spec, c -> Long.valueOf(0).equals(sc(c).getRunAsUser()));
        if (!root.isEmpty()) {
            setters.add(plural("container", "containers", root) + " " + joinQuote(root));
        }
        if (!setters.isEmpty()) {
            found.add("runAsUser=0 (" + String.join(" and ", setters) + " must not set runAsUser=0)");
        }
    }

    private static void seccomp(V1PodSpec spec, List<String> found) {
        String podType = podSc(spec).getSeccompProfile() == null
                ? null
                : podSc(spec).getSeccompProfile().getType();
        List<String> setters = new ArrayList<>();
        Set<String> badValues = new TreeSet<>();
        if (podType != null && !validSeccomp(podType)) {
            setters.add("pod");
            badValues.add(podType);
        }
        boolean podSet = podType != null && validSeccomp(podType);
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (V1Container c : containers(spec)) {
            String type = sc(c).getSeccompProfile() == null
                    ? null
                    : sc(c).getSeccompProfile().getType();
            if (type != null && !validSeccomp(type)) {
                explicit.add(c.getName());
                badValues.add(type);
            } else if (type == null && !podSet) {
                implicit.add(c.getName());
            }
        }
        if (!explicit.isEmpty()) {
            setters.add(plural("container", "containers", explicit) + " " + joinQuote(explicit));
        }
        if (!setters.isEmpty()) {
            found.add("seccompProfile (" + String.join(" and ", setters)
                    + " must not set securityContext.seccompProfile.type to " + joinQuote(List.copyOf(badValues))
                    + ")");
        } else if (!implicit.isEmpty()) {
            found.add(
                    "seccompProfile (pod or " + plural("container", "containers", implicit) + " " + joinQuote(implicit)
                            + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
        }
    }

    private static boolean validSeccomp(String type) {
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    private static void containersWhere(
            V1PodSpec spec, Predicate<V1Container> bad, List<String> found, String reason, String must) {
        List<String> names = names(spec, bad);
        if (!names.isEmpty()) {
            found.add(reason + " (" + plural("container", "containers", names) + " " + joinQuote(names) + " " + must
                    + ")");
        }
    }

    private static List<String> names(V1PodSpec spec, Predicate<V1Container> which) {
        return containers(spec).stream().filter(which).map(V1Container::getName).toList();
    }

    // Init containers first, as the plugin visits them.
    private static List<V1Container> containers(V1PodSpec spec) {
        List<V1Container> all = new ArrayList<>();
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        all.addAll(spec.getContainers());
        return all;
    }

    private static List<V1Volume> volumes(V1PodSpec spec) {
        return spec.getVolumes() == null ? List.of() : spec.getVolumes();
    }

    /** The volume's source as its JSON field names it, e.g. "hostPath", "nfs". */
    private static String volumeType(V1Volume v) {
        JsonObject json = Json.GSON.toJsonTree(v).getAsJsonObject();
        return json.keySet().stream().filter(k -> !k.equals("name")).findFirst().orElse(null);
    }

    private static V1SecurityContext sc(V1Container c) {
        return c.getSecurityContext() == null ? new V1SecurityContext() : c.getSecurityContext();
    }

    private static V1PodSecurityContext podSc(V1PodSpec spec) {
        return spec.getSecurityContext() == null ? new V1PodSecurityContext() : spec.getSecurityContext();
    }

    private static boolean bool(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    private static String plural(String one, String many, List<?> items) {
        return items.size() == 1 ? one : many;
    }

    private static String joinQuote(List<String> items) {
        return items.stream().map(FieldErrors::quote).collect(Collectors.joining(", "));
    }
}
