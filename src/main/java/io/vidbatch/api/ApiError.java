package io.vidbatch.api;

import io.vidbatch.job.FieldError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** An error answer: a message, and for rejected submissions the fields at fault. */
public record ApiError(String error, List<FieldError> errors) {

    static WebApplicationException of(Response.Status status, String message) {
        return new WebApplicationException(Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(message, List.of()))
                .build());
    }

    static WebApplicationException invalid(List<FieldError> errors) {
        return invalid("invalid job parameters", errors);
    }

    static WebApplicationException invalid(String what, List<FieldError> errors) {
        return new WebApplicationException(Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(what, errors))
                .build());
    }
}
