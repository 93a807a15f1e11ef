package io.vidbatch.it;

import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Every call is authenticated and the batch roles decide what each user may do. */
@MicroShedTest
class SecurityIT {

    static final String SUBMIT = Jobs.body("inputs", java.util.List.of("samples/screen-480p-noaudio.mp4"), "outputDir", Jobs.dir("it-security"));

    @Test
    void anonymousCallsAreChallenged() {
        assertThat(Api.anonymous().get(Api.appUrl() + "/api/v1/jobs").status()).isEqualTo(401);
        assertThat(Api.anonymous().post(Api.appUrl() + "/api/v1/jobs", SUBMIT).status()).isEqualTo(401);
        assertThat(Api.anonymous().get(Api.appUrl() + "/api/v1/catalog").status()).isEqualTo(401);
        assertThat(Api.anonymous().get(Api.batchUrl() + "/jobinstances").status()).isEqualTo(401);
    }

    @Test
    void wrongPasswordIsRefused() {
        var r = Api.as("nobody").get(Api.appUrl() + "/api/v1/jobs");
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void monitorReadsButCannotSubmitStopOrRestart() {
        Api monitor = Api.as(Api.MONITOR);
        assertThat(monitor.get(Api.appUrl() + "/api/v1/jobs").status()).isEqualTo(200);
        assertThat(monitor.post(Api.appUrl() + "/api/v1/jobs", SUBMIT).status()).isEqualTo(403);
        long id = Jobs.submit(SUBMIT);
        assertThat(monitor.post(Api.appUrl() + "/api/v1/jobs/" + id + "/stop", "").status()).isEqualTo(403);
        assertThat(monitor.post(Api.appUrl() + "/api/v1/jobs/" + id + "/restart", "").status()).isEqualTo(403);
        // Liberty's batch API applies the same roles.
        assertThat(monitor.post(Api.batchUrl() + "/jobinstances",
                "{\"applicationName\":\"vidbatch\",\"jobXMLName\":\"transcode\",\"jobParameters\":{}}").status())
                .isIn(401, 403);
        Jobs.waitForEnd(id, java.time.Duration.ofMinutes(1));
    }

    @Test
    void unknownJobIsNotFound() {
        assertThat(Api.as(Api.ADMIN).get(Api.appUrl() + "/api/v1/jobs/999999").status()).isEqualTo(404);
    }

    @Test
    void healthNeedsNoCredentialsAndSaysReady() {
        Api.Reply ready = Api.anonymous().get(Api.appUrl().replace("/vidbatch", "") + "/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\":true").contains("\"ffmpeg\":true").contains("\"outputRoot\":\"writable\"");
        assertThat(Api.anonymous().get(Api.appUrl().replace("/vidbatch", "") + "/health/live").status()).isEqualTo(200);
    }
}
