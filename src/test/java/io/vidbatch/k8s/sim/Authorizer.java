package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1StatusDetails;

/**
 * RBAC as the apiserver's authorizer applies it to one ServiceAccount bound to one Role: a
 * request the Role's rules do not grant is answered 403 with the apiserver's wording. A Role
 * grants nothing outside its namespace, so requests across all namespaces and on cluster-scoped
 * resources (nodes) are refused too.
 */
final class Authorizer {
    private final RoleFile role;

    Authorizer(RoleFile role) {
        this.role = role;
    }

    void check(String verb, ApiPath path) {
        String group = path.kind().group;
        String resource = path.rbacResource();
        boolean inNamespace = role.namespace().equals(path.namespace());
        if (inNamespace && role.rules().stream().anyMatch(r -> r.allows(verb, group, resource, path.name()))) {
            return;
        }
        String scope =
                path.namespace() != null ? "in the namespace \"" + path.namespace() + "\"" : "at the cluster scope";
        String why = "User \"" + role.user() + "\" cannot " + verb + " resource \"" + resource + "\" in API group \""
                + group + "\" " + scope;
        // The group-qualified plural without the subresource, as errors.NewForbidden names it.
        String qualified = group.isEmpty() ? path.kind().plural : path.kind().plural + "." + group;
        String subject = path.name() == null ? qualified : qualified + " \"" + path.name() + "\"";
        throw new ApiError(
                403,
                "Forbidden",
                subject + " is forbidden: " + why,
                new V1StatusDetails()
                        .name(path.name())
                        .group(group.isEmpty() ? null : group)
                        .kind(path.kind().plural));
    }
}
