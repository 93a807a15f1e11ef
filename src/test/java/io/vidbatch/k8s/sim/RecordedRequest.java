package io.vidbatch.k8s.sim;

/**
 * One request as the server saw it. verb and resource are as an RBAC Role names them ("watch",
 * "pods/log"), so a test can check that a Role grants exactly what the client used.
 */
public record RecordedRequest(
        String method, String path, String query, int status, String verb, String apiGroup, String resource) {
    /** "create jobs", "watch pods", "get pods/log". */
    public String rbac() {
        return verb + " " + resource;
    }
}
