package io.vidbatch.job;

/** A rejected job parameter: which one and why, in words a user can act on. */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
