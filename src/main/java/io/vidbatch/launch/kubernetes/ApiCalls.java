package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.ApiException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * API calls that ride out what an API server does under load: 429 Too Many Requests (honouring
 * Retry-After), 5xx, and dropped connections are retried a few times with growing pauses;
 * anything else is the caller's to handle.
 */
final class ApiCalls {

    private static final Set<Integer> RETRY = Set.of(0, 429, 500, 502, 503, 504);
    private static final int ATTEMPTS = 6;
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long MAX_PAUSE_MILLIS = 5_000;

    private ApiCalls() {}

    static <T> T call(Callable<T> call) throws ApiException, InterruptedException {
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (ApiException e) {
                if (!RETRY.contains(e.getCode()) || attempt == ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(Math.min(MAX_PAUSE_MILLIS, Math.max(pause, retryAfterMillis(e))));
                pause *= 2;
            } catch (InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ApiException(e);
            }
        }
    }

    private static long retryAfterMillis(ApiException e) {
        Map<String, List<String>> headers = e.getResponseHeaders();
        if (headers == null) {
            return 0;
        }
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if ("Retry-After".equalsIgnoreCase(h.getKey()) && !h.getValue().isEmpty()) {
                try {
                    return Long.parseLong(h.getValue().get(0).strip()) * 1000;
                } catch (NumberFormatException ignored) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** Short text for logs and reasons: the code and what the server said. */
    static String describe(ApiException e) {
        String body = e.getResponseBody();
        return "HTTP " + e.getCode()
                + (body != null && !body.isBlank()
                        ? ": " + body.strip()
                        : e.getMessage() != null ? ": " + e.getMessage() : "");
    }
}
