package io.vidbatch.api;

import io.vidbatch.job.InvalidJobException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A job that cannot run as given: 400, with every field at fault. */
@Provider
public class InvalidJobMapper implements ExceptionMapper<InvalidJobException> {

    @Override
    public Response toResponse(InvalidJobException e) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("invalid job parameters", e.errors()))
                .build();
    }
}
