package io.vidbatch.api;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * vidbatch's own REST API, beside Liberty's batch API at /ibm/api/batch. Liberty publishes its
 * OpenAPI document at /openapi and a browsable UI at /openapi/ui.
 */
@ApplicationPath("/api/v1")
@DeclareRoles({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
@OpenAPIDefinition(
        info =
                @Info(
                        title = "vidbatch",
                        version = "1",
                        description =
                                "Submit, watch, stop and restart video transcoding jobs. Every call needs a user with a "
                                        + "batch role: batchMonitor reads, batchSubmitter also submits and controls its own jobs, "
                                        + "batchAdmin controls every job."),
        security = @SecurityRequirement(name = "basic"))
@SecurityScheme(securitySchemeName = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
public class ApiApplication extends Application {}
