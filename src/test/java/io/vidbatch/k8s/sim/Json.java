package io.vidbatch.k8s.sim;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.JSON;

/** client-java's own Gson, so field names and date formats are exactly what the client parses. */
final class Json {
    static final Gson GSON = new JSON().getGson();

    private Json() {
    }

    static String write(Object o) {
        return GSON.toJson(o);
    }

    static <T> T read(String json, Class<T> type) {
        return GSON.fromJson(json, type);
    }

    /** Deep copy by round trip: stored objects are never shared with a writer. */
    @SuppressWarnings("unchecked")
    static <T> T copy(T o) {
        return (T) GSON.fromJson(GSON.toJson(o), o.getClass());
    }
}
