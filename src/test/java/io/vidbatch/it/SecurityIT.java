package io.vidbatch.it;

import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Every call is authenticated and the batch roles decide what each user may do. */
@MicroShedTest
class SecurityIT {

    static final String SUBMIT = Jobs.body(
            "inputs", java.util.List.of("samples/screen-480p-noaudio.mp4"), "outputDir", Jobs.dir("it-security"));

    @Test
    void anonymousCallsAreChallenged() {
        assertThat(Api.anonymous().get(Api.appUrl() + "/api/v1/jobs").status()).isEqualTo(401);
        assertThat(Api.anonymous().post(Api.appUrl() + "/api/v1/jobs", SUBMIT).status())
                .isEqualTo(401);
        assertThat(Api.anonymous().get(Api.appUrl() + "/api/v1/catalog").status())
                .isEqualTo(401);
        assertThat(Api.anonymous().get(Api.batchUrl() + "/jobinstances").status())
                .isEqualTo(401);
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
        assertThat(monitor.post(Api.appUrl() + "/api/v1/jobs/" + id + "/stop", "")
                        .status())
                .isEqualTo(403);
        assertThat(monitor.post(Api.appUrl() + "/api/v1/jobs/" + id + "/restart", "")
                        .status())
                .isEqualTo(403);
        // Liberty's batch API applies the same roles.
        assertThat(monitor.post(
                                Api.batchUrl() + "/jobinstances",
                                "{\"applicationName\":\"vidbatch\",\"jobXMLName\":\"transcode\",\"jobParameters\":{}}")
                        .status())
                .isIn(401, 403);
        Jobs.waitForEnd(id, java.time.Duration.ofMinutes(1));
    }

    @Test
    void aSubmitterSeesNothingOfAnotherSubmittersJob() {
        long id = Jobs.submit(Jobs.body(
                "inputs",
                java.util.List.of("samples/screen-480p-noaudio.mp4"),
                "outputDir",
                Jobs.dir("it-security-own"),
                "operations",
                "thumbnail(at=50%)"));
        Jobs.waitForEnd(id, java.time.Duration.ofMinutes(1));
        String job = Api.appUrl() + "/api/v1/jobs/" + id;
        assertThat(Api.as(Api.SUBMITTER).get(job + "/items/1/log").status()).isEqualTo(200);
        assertThat(Api.as(Api.SUBMITTER).get(job + "/inputs/1/thumbnails/0").status())
                .isEqualTo(200);
        Api other = Api.as("submitter2");
        for (String path : java.util.List.of("", "/report", "/items/1/log", "/inputs/1/thumbnails/0")) {
            assertThat(other.get(job + path).status()).as(path).isEqualTo(404);
        }
        assertThat(other.post(job + "/restart", "").status()).isEqualTo(404);
    }

    @Test
    void anotherSitesPageCannotChangeAnything() {
        long id = Jobs.submit(SUBMIT);
        String stop = Api.appUrl() + "/api/v1/jobs/" + id + "/stop";
        // What a browser adds to a form post from another site: refused whatever credentials come along.
        assertThat(Api.as(Api.SUBMITTER)
                        .post(stop, "", "Sec-Fetch-Site", "cross-site")
                        .status())
                .isEqualTo(403);
        assertThat(Api.as(Api.SUBMITTER)
                        .post(stop, "", "Origin", "https://elsewhere.example")
                        .status())
                .isEqualTo(403);
        assertThat(Api.as(Api.SUBMITTER)
                        .post(Api.appUrl() + "/api/v1/jobs", SUBMIT, "Sec-Fetch-Site", "same-site")
                        .status())
                .isEqualTo(403);
        assertThat(Jobs.get(id).getString("status")).isNotIn("STOPPING", "STOPPED");
        Jobs.waitForEnd(id, java.time.Duration.ofMinutes(1));
        // Refused errors and unknown paths answer JSON, like every error of ours.
        Api.Reply unknown = Api.as(Api.MONITOR).get(Api.appUrl() + "/api/v1/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().getString("error")).isEqualTo("not found");
    }

    @Test
    void unknownJobIsNotFound() {
        assertThat(Api.as(Api.ADMIN).get(Api.appUrl() + "/api/v1/jobs/999999").status())
                .isEqualTo(404);
    }

    @Test
    void healthNeedsNoCredentialsAndSaysReady() {
        Api.Reply ready = Api.anonymous().get(Api.appUrl().replace("/vidbatch", "") + "/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body())
                .contains("\"database\":true")
                .contains("\"ffmpeg\":true")
                .contains("\"outputRoot\":\"writable\"");
        assertThat(Api.anonymous()
                        .get(Api.appUrl().replace("/vidbatch", "") + "/health/live")
                        .status())
                .isEqualTo(200);
    }
}
