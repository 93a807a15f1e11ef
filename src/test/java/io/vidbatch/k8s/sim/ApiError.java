package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusDetails;

import java.util.Map;

/** A failure the server answers with a metav1.Status body, worded as Kubernetes words it. */
final class ApiError extends RuntimeException {
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "BadRequest"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "NotFound"),
            Map.entry(405, "MethodNotAllowed"),
            Map.entry(409, "Conflict"),
            Map.entry(410, "Expired"),
            Map.entry(422, "Invalid"),
            Map.entry(429, "TooManyRequests"),
            Map.entry(500, "InternalError"),
            Map.entry(503, "ServiceUnavailable"),
            Map.entry(504, "Timeout"));

    final int code;
    final String reason;
    final V1StatusDetails details;

    ApiError(int code, String reason, String message, V1StatusDetails details) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    ApiError(int code, String message) {
        this(code, REASONS.getOrDefault(code, "Unknown"), message, null);
    }

    static ApiError notFound(ResourceKind kind, String name) {
        return new ApiError(404, "NotFound", kind.qualified(name) + " not found", details(kind, name));
    }

    static ApiError alreadyExists(ResourceKind kind, String name) {
        return new ApiError(409, "AlreadyExists", kind.qualified(name) + " already exists", details(kind, name));
    }

    static ApiError gone(String message) {
        return new ApiError(410, "Expired", message, null);
    }

    static String reasonFor(int code) {
        return REASONS.getOrDefault(code, "Unknown");
    }

    private static V1StatusDetails details(ResourceKind kind, String name) {
        return new V1StatusDetails().name(name).group(kind.group).kind(kind.plural);
    }

    V1Status toStatus() {
        return new V1Status()
                .apiVersion("v1")
                .kind("Status")
                .metadata(new V1ListMeta())
                .status("Failure")
                .message(getMessage())
                .reason(reason)
                .details(details)
                .code(code);
    }
}
