package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.openapi.models.V1StatusDetails;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A validation's findings, collected and worded as apimachinery's field.ErrorList and answered
 * as its NewInvalid does: 422 with every finding as a cause, and a message naming all of them
 * ("Job.batch "x" is invalid: [a: ..., b: ...]"), so a client learns everything at once.
 */
final class FieldErrors {
    private final List<V1StatusCause> causes = new ArrayList<>();

    void invalid(String field, Object value, String detail) {
        add("FieldValueInvalid", field, "Invalid value: " + go(value) + (detail.isEmpty() ? "" : ": " + detail));
    }

    /** field.Invalid with the value omitted from the message, as for a rule (a struct) as a whole. */
    void invalid(String field, String detail) {
        add("FieldValueInvalid", field, "Invalid value: " + detail);
    }

    void required(String field, String detail) {
        add("FieldValueRequired", field, "Required value" + (detail.isEmpty() ? "" : ": " + detail));
    }

    void notSupported(String field, String value, List<String> supported) {
        add(
                "FieldValueNotSupported",
                field,
                "Unsupported value: " + go(value) + ": supported values: "
                        + supported.stream().map(FieldErrors::quote).collect(Collectors.joining(", ")));
    }

    void duplicate(String field, String value) {
        add("FieldValueDuplicate", field, "Duplicate value: " + go(value));
    }

    void notFound(String field, String value) {
        add("FieldValueNotFound", field, "Not found: " + go(value));
    }

    void tooLong(String field, int maxBytes) {
        add("FieldValueTooLong", field, "Too long: must have at most " + maxBytes + " bytes");
    }

    boolean isEmpty() {
        return causes.isEmpty();
    }

    /** Throws 422 Invalid if anything was found; details.kind is the Kind here, not the plural. */
    void throwIfAny(ResourceKind kind, String name) {
        if (causes.isEmpty()) {
            return;
        }
        Set<String> messages = new LinkedHashSet<>();
        causes.forEach(c -> messages.add(c.getField() + ": " + c.getMessage()));
        String all = messages.size() == 1 ? messages.iterator().next() : "[" + String.join(", ", messages) + "]";
        String qualifiedKind = kind.group.isEmpty() ? kind.kind : kind.kind + "." + kind.group;
        throw new ApiError(
                422,
                "Invalid",
                qualifiedKind + " \"" + name + "\" is invalid: " + all,
                new V1StatusDetails()
                        .name(name)
                        .group(kind.group.isEmpty() ? null : kind.group)
                        .kind(kind.kind)
                        .causes(List.copyOf(causes)));
    }

    private void add(String type, String field, String message) {
        causes.add(new V1StatusCause().reason(type).field(field).message(message));
    }

    /** A bad value as Go's fmt prints it in these messages: %q for strings, %v for numbers, %#v for maps. */
    static String go(Object value) {
        if (value instanceof GoText t) {
            return t.text();
        }
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof Map<?, ?> m) {
            return new TreeMap<>(m)
                    .entrySet().stream()
                            .map(e -> quote(e.getKey().toString()) + ":"
                                    + quote(e.getValue().toString()))
                            .collect(Collectors.joining(", ", "map[string]string{", "}"));
        }
        return value.toString();
    }

    /** A value already printed as Go prints it (a struct's String()). */
    record GoText(String text) {}

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
