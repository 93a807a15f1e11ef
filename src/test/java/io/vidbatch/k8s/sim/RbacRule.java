package io.vidbatch.k8s.sim;

import java.util.Set;

/** One PolicyRule of a Role; "*" matches any group, resource or verb, as in RBAC. */
record RbacRule(Set<String> apiGroups, Set<String> resources, Set<String> verbs, Set<String> resourceNames) {

    /** resource as RBAC names it ("pods/log"); name null for a collection. */
    boolean allows(String verb, String group, String resource, String name) {
        return matches(verbs, verb)
                && matches(apiGroups, group)
                && matches(resources, resource)
                // A rule limited to names never grants create, list, watch or deletecollection.
                && (resourceNames.isEmpty() || (name != null && resourceNames.contains(name)));
    }

    private static boolean matches(Set<String> granted, String wanted) {
        return granted.contains("*") || granted.contains(wanted);
    }
}
