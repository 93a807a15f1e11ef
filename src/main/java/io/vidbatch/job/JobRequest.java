package io.vidbatch.job;

import io.vidbatch.config.Settings;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A job as a user asks for it, in JSON: {@code inputs} (array or comma-separated string),
 * {@code preset}, {@code operations}, {@code segmentSeconds}, {@code workers}, {@code outputDir},
 * {@code launcher}, {@code groupSize}, {@code dryRun}; from our API's body or a schedule's job.
 * Unknown fields are refused, so a typo is an error rather than a silently ignored setting.
 */
public record JobRequest(Map<String, String> values, List<String> inputs) {

    private static final Set<String> FIELDS = Set.copyOf(TranscodeParameters.NAMES);

    /** The request in a JSON object: our API's body, or the job of a schedule. */
    public static JobRequest of(JsonObject o) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        List<String> inputs = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : o.entrySet()) {
            String key = e.getKey();
            JsonValue v = e.getValue();
            if (!FIELDS.contains(key)) {
                errors.add(
                        new FieldError(key, "unknown field (known: " + String.join(", ", new TreeSet<>(FIELDS)) + ")"));
            } else if (key.equals(TranscodeParameters.INPUTS) && v instanceof JsonArray a) {
                for (JsonValue item : a) {
                    if (item.getValueType() != JsonValue.ValueType.STRING) {
                        errors.add(new FieldError(key, "every entry must be a string"));
                        break;
                    }
                    inputs.add(((JsonString) item).getString());
                }
            } else if (v.getValueType() == JsonValue.ValueType.STRING) {
                values.put(key, ((JsonString) v).getString());
            } else if (v.getValueType() == JsonValue.ValueType.NUMBER
                    || v.getValueType() == JsonValue.ValueType.TRUE
                    || v.getValueType() == JsonValue.ValueType.FALSE) {
                values.put(key, v.toString());
            } else if (v.getValueType() != JsonValue.ValueType.NULL) {
                errors.add(new FieldError(key, "must be a string, a number or true/false"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
        if (inputs.isEmpty() && values.containsKey(TranscodeParameters.INPUTS)) {
            inputs.addAll(TranscodeParameters.splitInputs(values.get(TranscodeParameters.INPUTS)));
        }
        inputs.replaceAll(String::strip);
        inputs.removeIf(String::isEmpty);
        return new JobRequest(values, inputs);
    }

    /** The same request with other inputs: a watch run's new files. */
    public JobRequest withInputs(List<String> others) {
        return new JobRequest(values, List.copyOf(others));
    }

    /**
     * The job parameters but the inputs, once every one is checked and every path lies inside the
     * roots; else {@link InvalidJobException} with every fault. The inputs go to the job as a list ({@code InputLists}).
     */
    public Properties checked(Settings settings) {
        Properties props = new Properties();
        values.forEach((k, v) -> {
            if (!k.equals(TranscodeParameters.INPUTS) && v != null && !v.isBlank()) {
                props.setProperty(k, v);
            }
        });
        List<FieldError> errors =
                new ArrayList<>(TranscodeParameters.parse(inputs, props::getProperty, settings.maxWorkers())
                        .errors());
        errors.addAll(TranscodeParameters.checkPaths(
                inputs, props.getProperty(TranscodeParameters.OUTPUT_DIR, ""), settings.roots()));
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
        return props;
    }
}
