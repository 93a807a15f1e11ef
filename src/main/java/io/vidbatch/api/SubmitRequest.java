package io.vidbatch.api;

import io.vidbatch.config.Settings;
import io.vidbatch.job.FieldError;
import io.vidbatch.job.TranscodeParameters;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A job submission as JSON: {@code inputs} (array or comma-separated string), {@code preset},
 * {@code operations}, {@code segmentSeconds}, {@code workers}, {@code outputDir}, {@code launcher},
 * {@code groupSize}, {@code dryRun}.
 * Unknown fields are refused, so a typo is an error rather than a silently ignored setting.
 */
public record SubmitRequest(Map<String, String> values, List<String> inputs) {

    static final int MAX_BODY_BYTES = 1 << 20;
    private static final Set<String> FIELDS = Set.copyOf(TranscodeParameters.NAMES);

    static SubmitRequest read(InputStream body) {
        return of(parse(body));
    }

    /** A submission inside another document (a schedule's job). */
    public static SubmitRequest of(JsonObject o) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> values = new java.util.HashMap<>();
        List<String> inputs = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : o.entrySet()) {
            String key = e.getKey();
            JsonValue v = e.getValue();
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "unknown field (known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")"));
            } else if (key.equals(TranscodeParameters.INPUTS) && v instanceof JsonArray a) {
                for (JsonValue item : a) {
                    if (item.getValueType() != JsonValue.ValueType.STRING) {
                        errors.add(new FieldError(key, "every entry must be a string"));
                        break;
                    }
                    inputs.add(((jakarta.json.JsonString) item).getString());
                }
            } else if (v.getValueType() == JsonValue.ValueType.STRING) {
                values.put(key, ((jakarta.json.JsonString) v).getString());
            } else if (v.getValueType() == JsonValue.ValueType.NUMBER || v.getValueType() == JsonValue.ValueType.TRUE
                    || v.getValueType() == JsonValue.ValueType.FALSE) {
                values.put(key, v.toString());
            } else if (v.getValueType() != JsonValue.ValueType.NULL) {
                errors.add(new FieldError(key, "must be a string, a number or true/false"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiError.invalid(errors);
        }
        if (inputs.isEmpty() && values.containsKey(TranscodeParameters.INPUTS)) {
            inputs.addAll(TranscodeParameters.splitInputs(values.get(TranscodeParameters.INPUTS)));
        }
        inputs.replaceAll(String::strip);
        inputs.removeIf(String::isEmpty);
        return new SubmitRequest(values, inputs);
    }

    /**
     * The job parameters but the inputs, once every one is checked and every path lies inside the
     * roots; else 400 with every fault. The inputs go to the job as a list ({@code InputLists}).
     */
    public Properties checked(Settings settings) {
        Properties props = new Properties();
        values.forEach((k, v) -> {
            if (!k.equals(TranscodeParameters.INPUTS) && v != null && !v.isBlank()) {
                props.setProperty(k, v);
            }
        });
        List<FieldError> errors = new ArrayList<>(TranscodeParameters.parse(inputs, props::getProperty, settings.maxWorkers())
                .errors());
        errors.addAll(TranscodeParameters.checkPaths(inputs, props.getProperty(TranscodeParameters.OUTPUT_DIR, ""),
                settings.roots()));
        if (!errors.isEmpty()) {
            throw ApiError.invalid(errors);
        }
        return props;
    }

    /** A JSON object body of at most {@link #MAX_BODY_BYTES}; 400 or 413 otherwise. */
    static JsonObject parse(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "cannot read the request body");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw ApiError.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "request body over " + MAX_BODY_BYTES + " bytes");
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
