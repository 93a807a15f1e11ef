package io.vidbatch.k8s.sim;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.openapi.JSON;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * JSON the way client-java reads it. Request bodies go through client-java's own Gson, with its
 * model validation. Stored objects are copied and written with a plain Gson over the same
 * models: the same field names (the models' annotations), without the validation that makes
 * every read build a tree first, which the simulator would otherwise pay on every write.
 * Timestamps are written as the apiserver writes metav1.Time ("...T12:00:00Z").
 */
final class Json {
    static final Gson CLIENT = new JSON()
            .getGson()
            .newBuilder()
            .registerTypeAdapter(OffsetDateTime.class, new Rfc3339Seconds().nullSafe())
            .create();
    static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(OffsetDateTime.class, new Rfc3339Seconds().nullSafe())
            .create();

    private Json() {}

    static String write(Object o) {
        return GSON.toJson(o);
    }

    /** Trusted JSON the store wrote itself. */
    static <T> T read(String json, Class<T> type) {
        return GSON.fromJson(json, type);
    }

    /** JSON from a client, checked as client-java checks it. */
    static <T> T readChecked(String json, Class<T> type) {
        return CLIENT.fromJson(json, type);
    }

    /** Deep copy by round trip: stored objects are never shared with a writer. */
    @SuppressWarnings("unchecked")
    static <T> T copy(T o) {
        return (T) GSON.fromJson(GSON.toJson(o), o.getClass());
    }

    private static final class Rfc3339Seconds extends TypeAdapter<OffsetDateTime> {
        private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

        @Override
        public void write(JsonWriter out, OffsetDateTime value) throws IOException {
            out.value(WIRE.format(value.withOffsetSameInstant(ZoneOffset.UTC)));
        }

        @Override
        public OffsetDateTime read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return OffsetDateTime.parse(in.nextString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
    }
}
