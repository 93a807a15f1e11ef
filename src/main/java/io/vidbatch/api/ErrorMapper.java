package io.vidbatch.api;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.List;
import java.util.Locale;

/**
 * Every error answers like ours do (JSON with a message), also those the framework raises
 * without a body: a role {@code @RolesAllowed} refuses, an unknown path, a wrong method or media
 * type. Mapping them also keeps MicroProfile Metrics from logging each one as an unhandled
 * exception with its stack trace, which any signed-in user could otherwise repeat at will.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    SecurityContext security;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response r = e.getResponse();
        if (r.hasEntity()) {
            return r; // one of ours (ApiError) already
        }
        String message = e instanceof ForbiddenException
                ? caller() + " may not do this: it needs another batch role"
                : r.getStatusInfo().getReasonPhrase().toLowerCase(Locale.ROOT);
        return Response.fromResponse(r)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(message, List.of()))
                .build();
    }

    private String caller() {
        return security == null || security.getUserPrincipal() == null
                ? "this caller"
                : security.getUserPrincipal().getName();
    }
}
