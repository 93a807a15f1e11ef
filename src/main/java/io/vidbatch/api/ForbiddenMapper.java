package io.vidbatch.api;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.List;

/**
 * A call refused by {@code @RolesAllowed} answers like every other error of ours (JSON with a
 * message). Mapping it also keeps MicroProfile Metrics from logging each refusal as an
 * unhandled exception with its stack trace.
 */
@Provider
public class ForbiddenMapper implements ExceptionMapper<ForbiddenException> {

    @Context
    SecurityContext security;

    @Override
    public Response toResponse(ForbiddenException e) {
        String who = security.getUserPrincipal() == null ? "this caller" : security.getUserPrincipal().getName();
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(who + " may not do this: it needs another batch role", List.of())).build();
    }
}
