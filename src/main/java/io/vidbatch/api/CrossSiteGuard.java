package io.vidbatch.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.util.List;
import java.util.Set;

/** Refuses a call that changes something (submit, stop, restart) when another site's page made it. */
@Provider
public class CrossSiteGuard implements ContainerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public void filter(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())) {
            return;
        }
        if (!SameOrigin.allowed(
                request.getHeaderString("Sec-Fetch-Site"),
                request.getHeaderString("Origin"),
                request.getHeaderString(HttpHeaders.HOST))) {
            request.abortWith(Response.status(Response.Status.FORBIDDEN)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("refused: this request came from another site's page", List.of()))
                    .build());
        }
    }
}
