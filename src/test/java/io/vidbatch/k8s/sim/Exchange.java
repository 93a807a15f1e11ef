package io.vidbatch.k8s.sim;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP exchange with its query parsed and the status it was answered with remembered. */
final class Exchange {
    final HttpExchange http;
    final String method;
    final String path;
    final String rawQuery;
    final Map<String, String> query = new LinkedHashMap<>();
    int status;
    /** Called once with the answer's status: as soon as a stream starts, else when the answer is done. */
    Runnable recorder = () -> {};

    private boolean recorded;

    Exchange(HttpExchange http) {
        this.http = http;
        this.method = http.getRequestMethod().toUpperCase();
        this.path = http.getRequestURI().getRawPath();
        this.rawQuery = http.getRequestURI().getRawQuery() == null
                ? ""
                : http.getRequestURI().getRawQuery();
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                query.put(decode(k), decode(v));
            }
        }
    }

    String param(String name) {
        String v = query.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(query.get(name)) || "1".equals(query.get(name));
    }

    Integer intParam(String name) {
        String v = param(name);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new ApiError(400, "invalid " + name + ": " + v);
        }
    }

    String body() throws IOException {
        return new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    void send(int code, String contentType, byte[] body) throws IOException {
        status = code;
        // Recorded before the client can see the answer: a test that got its reply finds the request logged.
        recordOnce();
        http.getResponseHeaders().set("Content-Type", contentType);
        http.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(body);
        }
    }

    void sendJson(int code, String json) throws IOException {
        send(code, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    void sendError(ApiError e) throws IOException {
        if (e.code == 429) {
            http.getResponseHeaders().set("Retry-After", "1");
        }
        sendJson(e.code, Json.write(e.toStatus()));
    }

    /** Starts a chunked response (length unknown) for a watch or a followed log. */
    OutputStream startStream(String contentType) throws IOException {
        status = 200;
        http.getResponseHeaders().set("Content-Type", contentType);
        http.sendResponseHeaders(200, 0);
        recordOnce();
        return http.getResponseBody();
    }

    void recordOnce() {
        if (!recorded) {
            recorded = true;
            recorder.run();
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
