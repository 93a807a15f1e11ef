package io.vidbatch.api;

import io.vidbatch.media.Operations;
import io.vidbatch.media.Preset;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Arrays;
import java.util.List;

/** What a user can ask for: the presets and the operations. */
@Path("/catalog")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
public class CatalogResource {

    public record PresetView(String name, String description) {}

    public record Catalog(List<PresetView> presets, List<String> operations, String operationsSyntax) {}

    @GET
    public Catalog catalog() {
        return new Catalog(
                Arrays.stream(Preset.values())
                        .map(p -> new PresetView(p.id(), p.description()))
                        .toList(),
                List.of(Operations.NAMES.split(", ")),
                "name(key=value, ...) separated by ';', e.g. scale(height=720); watermark(text=\"ACME\", position=top-left)");
    }
}
