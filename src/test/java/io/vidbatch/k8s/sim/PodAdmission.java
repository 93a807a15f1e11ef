package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Pod;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admission plugins that can refuse a pod whose spec is valid: ServiceAccount (the account
 * must exist in the namespace) and ResourceQuota (the namespace's cpu requests must stay within
 * the quota's hard limit). Both answer 403 Forbidden with the apiserver's wording, to a client's
 * POST and to the Job controller alike. Every account exists and no quota is set unless a test
 * says otherwise.
 */
final class PodAdmission {
    /** A ResourceQuota with one hard limit, {@code requests.cpu}. */
    record Quota(String name, long cpuMillis) {
    }

    private final Set<String> missingAccounts = ConcurrentHashMap.newKeySet();
    private final Map<String, Quota> quotas = new ConcurrentHashMap<>();

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

    void clear() {
        missingAccounts.clear();
        quotas.clear();
    }

    /** Throws 403 if an admission plugin refuses the (already defaulted) pod. */
    void admit(V1Pod pod, ObjectStore store) {
        String ns = pod.getMetadata().getNamespace();
        // Mutating admission runs before the apiserver generates a name, so the message names the prefix.
        String name = pod.getMetadata().getName() != null ? pod.getMetadata().getName() : pod.getMetadata().getGenerateName();
        String account = pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
        if (missingAccounts.contains(ns + "/" + account)) {
            throw forbidden(name, "error looking up service account " + ns + "/" + account + ": serviceaccount \""
                    + account + "\" not found");
        }
        Quota quota = quotas.get(ns);
        if (quota != null) {
            long requested = Cpu.requested(pod);
            // What counts against a quota: pods of the namespace not yet terminal.
            long used = store.<V1Pod>peekAll(ResourceKind.POD).stream()
                    .filter(p -> ns.equals(p.getMetadata().getNamespace()) && !Pods.terminal(p))
                    .mapToLong(Cpu::requested).sum();
            if (used + requested > quota.cpuMillis()) {
                throw forbidden(name, "exceeded quota: " + quota.name() + ", requested: requests.cpu=" + Cpu.quantity(requested).toSuffixedString()
                        + ", used: requests.cpu=" + Cpu.quantity(used).toSuffixedString()
                        + ", limited: requests.cpu=" + Cpu.quantity(quota.cpuMillis()).toSuffixedString());
            }
        }
    }

    private static ApiError forbidden(String name, String why) {
        return new ApiError(403, "Forbidden", "pods \"" + name + "\" is forbidden: " + why,
                new io.kubernetes.client.openapi.models.V1StatusDetails().name(name).kind("pods"));
    }
}
