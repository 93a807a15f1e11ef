package io.vidbatch.k8s.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A request path resolved to a resource, a namespace (null = all), a name and a subresource. */
record ApiPath(ResourceKind kind, String namespace, String name, String subresource) {
    private static final Pattern NAMESPACED = Pattern.compile(
            "^/(?:api/v1|apis/batch/v1)/namespaces/([^/]+)/(pods|jobs|events)(?:/([^/]+)(?:/(log|status))?)?$");
    private static final Pattern ALL_NAMESPACES = Pattern.compile("^/(?:api/v1|apis/batch/v1)/(pods|jobs|events)$");
    private static final Pattern NODES = Pattern.compile("^/api/v1/nodes(?:/([^/]+)(?:/(status))?)?$");

    /** Null for any path this server does not serve. */
    static ApiPath parse(String path) {
        Matcher m = NAMESPACED.matcher(path);
        if (m.matches() && groupMatches(path, m.group(2))) {
            return new ApiPath(kind(m.group(2)), m.group(1), m.group(3), m.group(4));
        }
        m = ALL_NAMESPACES.matcher(path);
        if (m.matches() && groupMatches(path, m.group(1))) {
            return new ApiPath(kind(m.group(1)), null, null, null);
        }
        m = NODES.matcher(path);
        if (m.matches()) {
            return new ApiPath(ResourceKind.NODE, null, m.group(1), m.group(2));
        }
        return null;
    }

    boolean collection() {
        return name == null;
    }

    /** The resource as an RBAC rule names it: "jobs", "pods/log". */
    String rbacResource() {
        return subresource == null ? kind.plural : kind.plural + "/" + subresource;
    }

    ObjectKey key() {
        return new ObjectKey(kind, namespace == null ? "" : namespace, name);
    }

    // Jobs live only under /apis/batch/v1, pods and events only under /api/v1.
    private static boolean groupMatches(String path, String plural) {
        return path.startsWith(plural.equals("jobs") ? "/apis/batch/v1/" : "/api/v1/");
    }

    private static ResourceKind kind(String plural) {
        return switch (plural) {
            case "jobs" -> ResourceKind.JOB;
            case "events" -> ResourceKind.EVENT;
            default -> ResourceKind.POD;
        };
    }
}
