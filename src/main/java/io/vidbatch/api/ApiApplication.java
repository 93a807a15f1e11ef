package io.vidbatch.api;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** vidbatch's own REST API, beside Liberty's batch API at /ibm/api/batch. */
@ApplicationPath("/api/v1")
@DeclareRoles({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
public class ApiApplication extends Application {
}
