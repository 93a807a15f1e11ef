package io.vidbatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The API describes itself: every endpoint of /api/v1 in /openapi, browsable at /openapi/ui. */
@MicroShedTest
class OpenApiIT {

    private static final String ROOT = Api.appUrl().replaceAll("/vidbatch$", "");

    @Test
    void everyEndpointIsDescribedWithItsAuthentication() {
        Api.Reply r = Api.anonymous().get(ROOT + "/openapi?format=JSON");
        assertThat(r.status()).isEqualTo(200);
        JsonObject doc = r.json();
        assertThat(doc.getJsonObject("info").getString("title")).isEqualTo("vidbatch");
        assertThat(doc.getJsonObject("paths").keySet())
                .contains(
                        "/api/v1/jobs",
                        "/api/v1/jobs/{id}",
                        "/api/v1/jobs/{id}/stop",
                        "/api/v1/jobs/{id}/restart",
                        "/api/v1/jobs/{id}/items/{item}/log",
                        "/api/v1/jobs/{id}/inputs/{input}/thumbnails/{n}",
                        "/api/v1/jobs/{id}/inputs/{input}/worst",
                        "/api/v1/catalog",
                        "/api/v1/jobs/{id}/deliveries",
                        "/api/v1/webhooks",
                        "/api/v1/webhooks/{name}",
                        "/api/v1/webhooks/{name}/deliveries");
        // status answers asynchronously (a parked request): its answer is still described.
        assertThat(doc.getJsonObject("paths")
                        .getJsonObject("/api/v1/jobs/{id}/status")
                        .getJsonObject("get")
                        .getJsonObject("responses")
                        .getJsonObject("200")
                        .getJsonObject("content")
                        .getJsonObject("application/json")
                        .getJsonObject("schema")
                        .getString("$ref"))
                .isEqualTo("#/components/schemas/Status");
        assertThat(doc.getJsonObject("components")
                        .getJsonObject("securitySchemes")
                        .getJsonObject("basic")
                        .getString("scheme"))
                .isEqualTo("basic");
        assertThat(doc.getJsonArray("servers").getValuesAs(JsonObject.class))
                .extracting(s -> s.getString("url"))
                .anyMatch(u -> u.endsWith("/vidbatch"));
    }

    @Test
    void theUiIsServedWithoutAnyOtherSite() {
        Api.Reply ui = Api.anonymous().get(ROOT + "/openapi/ui/");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("<html").doesNotContain("://cdn", "unpkg.com", "jsdelivr");
    }
}
