package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Pod;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admission plugins that can refuse a pod whose spec is valid: ServiceAccount (the account
 * must exist in the namespace), LimitRanger (a namespace's max memory per container, also its
 * default), PodSecurity (the namespace's enforced level) and ResourceQuota (the namespace's cpu
 * requests must stay within the quota's hard limit). All answer 403 Forbidden with the
 * apiserver's wording, to a client's POST and to the Job controller alike. Every account exists
 * and no limit, level or quota is set unless a test says otherwise.
 */
final class PodAdmission {
    /** A ResourceQuota with one hard limit, {@code requests.cpu}. */
    record Quota(String name, long cpuMillis) {}

    private final Set<String> missingAccounts = ConcurrentHashMap.newKeySet();
    private final Map<String, Quota> quotas = new ConcurrentHashMap<>();
    private final Map<String, MemoryLimitRange> limitRanges = new ConcurrentHashMap<>();
    private final Map<String, PodSecurity.Level> podSecurity = new ConcurrentHashMap<>();

    void removeServiceAccount(String namespace, String name) {
        missingAccounts.add(namespace + "/" + name);
    }

    void restoreServiceAccount(String namespace, String name) {
        missingAccounts.remove(namespace + "/" + name);
    }

    /** Null removes the namespace's quota. */
    void quota(String namespace, Quota quota) {
        if (quota == null) {
            quotas.remove(namespace);
        } else {
            quotas.put(namespace, quota);
        }
    }

    /** Null removes the namespace's LimitRange. */
    void limitRange(String namespace, MemoryLimitRange range) {
        if (range == null) {
            limitRanges.remove(namespace);
        } else {
            limitRanges.put(namespace, range);
        }
    }

    /** The namespace's pod-security.kubernetes.io/enforce level. */
    void podSecurity(String namespace, PodSecurity.Level level) {
        podSecurity.put(namespace, level);
    }

    void clear() {
        missingAccounts.clear();
        quotas.clear();
        limitRanges.clear();
        podSecurity.clear();
    }

    /**
     * Throws 403 if an admission plugin refuses the (already defaulted) pod. A pod made from a
     * generateName gets its name here, between the mutating and the validating plugins, as the
     * apiserver names it: refusals by the former name the prefix, by the latter the pod.
     */
    void admit(V1Pod pod, ObjectStore store) {
        String ns = pod.getMetadata().getNamespace();
        String prefixOrName = pod.getMetadata().getName() != null
                ? pod.getMetadata().getName()
                : pod.getMetadata().getGenerateName();
        String account = pod.getSpec().getServiceAccountName() == null
                ? "default"
                : pod.getSpec().getServiceAccountName();
        if (missingAccounts.contains(ns + "/" + account)) {
            throw forbidden(
                    prefixOrName,
                    "error looking up service account " + ns + "/" + account + ": serviceaccount \"" + account
                            + "\" not found");
        }
        MemoryLimitRange range = limitRanges.get(ns);
        if (range != null) {
            range.applyDefaults(pod.getSpec());
            pod.getStatus().setQosClass(Admission.qosClass(pod.getSpec()));
        }
        if (pod.getMetadata().getName() == null) {
            pod.getMetadata()
                    .setName(store.generateName(
                            ResourceKind.POD, ns, pod.getMetadata().getGenerateName()));
        }
        String name = pod.getMetadata().getName();
        String tooMuch = range == null ? null : range.violation(pod.getSpec());
        if (tooMuch != null) {
            throw forbidden(name, tooMuch);
        }
        String insecure =
                PodSecurity.violation(pod.getSpec(), podSecurity.getOrDefault(ns, PodSecurity.Level.PRIVILEGED));
        if (insecure != null) {
            throw forbidden(name, insecure);
        }
        Quota quota = quotas.get(ns);
        if (quota != null) {
            long requested = Cpu.requested(pod);
            // What counts against a quota: pods of the namespace not yet terminal.
            long used = store.<V1Pod>peekAll(ResourceKind.POD).stream()
                    .filter(p -> ns.equals(p.getMetadata().getNamespace()) && !Pods.terminal(p))
                    .mapToLong(Cpu::requested)
                    .sum();
            if (used + requested > quota.cpuMillis()) {
                // Named by its prefix, which the launcher's ITs match; a real apiserver names the generated pod here.
                throw forbidden(
                        prefixOrName,
                        "exceeded quota: " + quota.name() + ", requested: requests.cpu="
                                + Cpu.quantity(requested).toSuffixedString()
                                + ", used: requests.cpu=" + Cpu.quantity(used).toSuffixedString()
                                + ", limited: requests.cpu="
                                + Cpu.quantity(quota.cpuMillis()).toSuffixedString());
            }
        }
    }

    private static ApiError forbidden(String name, String why) {
        return new ApiError(
                403,
                "Forbidden",
                "pods \"" + name + "\" is forbidden: " + why,
                new io.kubernetes.client.openapi.models.V1StatusDetails()
                        .name(name)
                        .kind("pods"));
    }
}
