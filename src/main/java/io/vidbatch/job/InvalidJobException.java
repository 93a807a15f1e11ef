package io.vidbatch.job;

import java.util.List;
import java.util.stream.Collectors;

/** A job request that cannot run as given: every field at fault, in words a user can act on. */
public class InvalidJobException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidJobException(List<FieldError> errors) {
        super("invalid job parameters: "
                + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
