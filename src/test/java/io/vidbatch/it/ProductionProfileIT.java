package io.vidbatch.it;

import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A production server still on the development passwords does not start vidbatch, and says which to change. */
@MicroShedTest
class ProductionProfileIT {

    @Test
    void aProductionServerWithDevelopmentPasswordsRefusesToStartAndNamesThem() throws Exception {
        // An orderly stop: after a kill Liberty starts cold (25.7 s to ready here, against 12 s),
        // and its stop is quick since the HTTP/1.1 change (4.4 s).
        ItServer.stop();
        try {
            // One password set properly, the rest left at their defaults.
            ItServer.launch(Map.of("VIDBATCH_PROFILE", "production", "SUBMITTER_PASSWORD", "Kq9-real-submitter-password"));
            String refusal = ItServer.awaitLog("vidbatch will not start: ", Duration.ofMinutes(2));
            assertThat(refusal).contains("ADMIN_PASSWORD is still the development default",
                    "MONITOR_PASSWORD is still the development default", "SCHEDULER_PASSWORD is still the development default",
                    "KEYSTORE_PASSWORD is still the development default")
                    .doesNotContain("SUBMITTER_PASSWORD").doesNotContain("admin-dev").doesNotContain("Kq9-real");
            ItServer.awaitLog("CWWKF0011I", Duration.ofMinutes(1)); // the server itself is up, without vidbatch

            HttpClient http = HttpClient.newHttpClient();
            URI ready = URI.create("http://localhost:" + System.getProperty("microshed_http_port") + "/health/ready");
            assertThat(http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .as("not ready: Kubernetes sends it nothing").isEqualTo(503);
            assertThat(Api.as(Api.ADMIN).get(Api.appUrl() + "/api/v1/jobs").status()).as("nothing served").isEqualTo(404);
            Report.row("faults", "production profile started with development passwords",
                    "vidbatch does not start; readiness 503; messages.log names the 4 settings to change, not their values");
        } finally {
            ItServer.stop();
            ItServer.start();
        }
    }
}
