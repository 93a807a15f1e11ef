package io.vidbatch.api;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A request body that must be one JSON object, of bounded size. */
final class JsonBody {

    static final int MAX_BODY_BYTES = 1 << 20;

    private JsonBody() {}

    /** A JSON object body of at most {@link #MAX_BODY_BYTES}; 400 or 413 otherwise. */
    static JsonObject parse(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "cannot read the request body");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw ApiError.of(
                    Response.Status.REQUEST_ENTITY_TOO_LARGE, "request body over " + MAX_BODY_BYTES + " bytes");
        }
        try (JsonReader r = Json.createReader(new ByteArrayInputStream(bytes))) {
            JsonValue v = r.readValue();
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                throw ApiError.of(Response.Status.BAD_REQUEST, "the body must be a JSON object");
            }
            return v.asJsonObject();
        } catch (JsonException e) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "malformed JSON: " + e.getMessage());
        }
    }
}
