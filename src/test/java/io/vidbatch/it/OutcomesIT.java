package io.vidbatch.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Honest outcomes: a job whose inputs all came out is COMPLETED; one with some inputs failed or
 * rejected is COMPLETED and says PARTIAL (exit status, the API's {@code outcome}, amber in the
 * console); one with none done FAILED. The same in our API and in Liberty's.
 */
@MicroShedTest
class OutcomesIT {

    private static final String DIR = Jobs.dir("outcomes");

    @BeforeAll
    static void badInputs() throws Exception {
        Path dir = Files.createDirectories(Jobs.inputs().resolve(DIR));
        Files.writeString(dir.resolve("notes.mp4"), "not a video, whatever its name says\n");
    }

    @Test
    void somethingFailedIsPartialAndNothingDoneIsAFailedJobInOurApi() {
        long partial = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4", DIR + "/notes.mp4"),
                "outputDir",
                Jobs.dir("it-outcome-partial")));
        long none = Jobs.submit(Jobs.body(
                "inputs", List.of(DIR + "/notes.mp4", DIR + "/missing.mp4"), "outputDir", Jobs.dir("it-outcome-none")));
        long all = Jobs.submit(Jobs.body(
                "inputs", List.of("samples/screen-480p-noaudio.mp4"), "outputDir", Jobs.dir("it-outcome-all")));

        // A script blocks on status?wait and reads the outcome field, not the sentence.
        assertThat(statusOnceEnded(partial)).isEqualTo(List.of("COMPLETED", "PARTIAL"));
        assertThat(statusOnceEnded(none)).isEqualTo(List.of("FAILED", "NONE_DONE"));
        assertThat(statusOnceEnded(all)).isEqualTo(List.of("COMPLETED", "ALL_DONE"));

        JsonObject p = Jobs.get(partial);
        assertThat(p.getString("exitStatus")).isEqualTo("PARTIAL: 1 of 2 inputs done, 0 failed, 1 rejected");
        assertThat(p.getString("outcome")).isEqualTo("PARTIAL");
        JsonObject n = Jobs.get(none);
        assertThat(n.getString("exitStatus")).isEqualTo("NONE DONE: 0 of 2 inputs done, 0 failed, 2 rejected");
        List<String> reasons = n.getJsonArray("inputs").getValuesAs(JsonObject.class).stream()
                .map(i -> i.getString("reason"))
                .toList();
        assertThat(reasons).hasSize(2);
        assertThat(reasons.get(0)).startsWith("not a readable media file");
        assertThat(reasons.get(1)).isEqualTo("not found");
        // Restarted, it counts again and ends by the same rule (nothing was done twice: the bad input stays rejected).
        Jobs.on(Api.Server.main()).control(none, "restart");
        JsonObject again = Jobs.waitFor(
                none,
                Duration.ofMinutes(1),
                j -> j.getJsonArray("executions").size() == 2 && Jobs.ENDED.contains(j.getString("status")),
                "the restart ended");
        assertThat(again.getString("status")).isEqualTo("FAILED");
        assertThat(again.getString("exitStatus")).isEqualTo(n.getString("exitStatus"));
        // The report says the same as the job.
        assertThat(Api.as(Api.MONITOR)
                        .get(Api.appUrl() + "/api/v1/jobs/" + none + "/report")
                        .json()
                        .getJsonObject("summary")
                        .getString("outcome"))
                .isEqualTo("NONE_DONE");

        // The list shows each job's outcome.
        List<JsonObject> listed = Api.as(Api.SUBMITTER)
                .get(Api.appUrl() + "/api/v1/jobs?limit=1000")
                .array()
                .getValuesAs(JsonObject.class);
        assertThat(listed.stream()
                        .filter(j -> j.getJsonNumber("id").longValue() == partial)
                        .findFirst()
                        .orElseThrow()
                        .getString("outcome"))
                .isEqualTo("PARTIAL");
        assertThat(listed.stream()
                        .filter(j -> j.getJsonNumber("id").longValue() == none)
                        .findFirst()
                        .orElseThrow()
                        .getString("status"))
                .isEqualTo("FAILED");

        // What a user sees: the partial job in amber, on its page and in the list.
        try (Browser b = new Browser()) {
            b.signIn(Api.MONITOR, "#/jobs/" + partial);
            String colour = b.await(
                    d -> {
                        var badge = d.findElement(By.cssSelector("h1 .state"));
                        return "PARTIAL".equals(badge.getAttribute("data-state"))
                                ? badge.getCssValue("background-color")
                                : null;
                    },
                    "the job's badge saying PARTIAL");
            assertThat(colour).as("amber, not the green of a job all done").isEqualTo("rgba(217, 143, 0, 1)");
            assertThat(b.driver().findElement(By.cssSelector("h1 .state")).getText())
                    .isEqualTo("PARTIAL");
            b.screenshot("console-partial-job");
            b.open("#/");
            b.await(
                    d -> "PARTIAL"
                            .equals(d.findElement(By.cssSelector("#jobs tr[data-job='" + partial + "'] .state"))
                                    .getAttribute("data-state")),
                    "the partial job in the list");
            assertThat(b.driver()
                            .findElement(By.cssSelector("#jobs tr[data-job='" + none + "'] .state"))
                            .getAttribute("data-state"))
                    .isEqualTo("FAILED");
            b.screenshot("console-partial-list");
        }
    }

    @Test
    void libertysApiShowsTheSameOutcomes() {
        long partial = submitThroughLiberty(
                "samples/screen-480p-noaudio.mp4," + DIR + "/notes.mp4", "it-outcome-liberty-partial");
        long none = submitThroughLiberty(DIR + "/notes.mp4", "it-outcome-liberty-none");
        Jobs.waitForEnd(partial, Duration.ofMinutes(2));
        Jobs.waitForEnd(none, Duration.ofMinutes(2));

        JsonObject p = Api.as(Api.MONITOR)
                .get(Api.batchUrl() + "/jobinstances/" + partial + "/jobexecutions")
                .array()
                .getJsonObject(0);
        assertThat(p.getString("batchStatus")).isEqualTo("COMPLETED");
        assertThat(p.getString("exitStatus")).isEqualTo("PARTIAL: 1 of 2 inputs done, 0 failed, 1 rejected");
        JsonObject n = Api.as(Api.MONITOR)
                .get(Api.batchUrl() + "/jobinstances/" + none + "/jobexecutions")
                .array()
                .getJsonObject(0);
        assertThat(n.getString("batchStatus")).isEqualTo("FAILED");
        assertThat(n.getString("exitStatus")).startsWith("NONE DONE: 0 of 1 inputs done");
        assertThat(Api.as(Api.MONITOR)
                        .get(Api.batchUrl() + "/jobinstances/" + none)
                        .json()
                        .getString("instanceState"))
                .isEqualTo("FAILED");
    }

    /** The status and outcome a script gets from status?wait once the job has ended. */
    private static List<String> statusOnceEnded(long id) {
        JsonObject s = null;
        for (int i = 0; i < 10 && (s == null || !Jobs.ENDED.contains(s.getString("status"))); i++) {
            s = Api.as(Api.MONITOR)
                    .get(Api.appUrl() + "/api/v1/jobs/" + id + "/status?wait=30")
                    .json();
        }
        return List.of(s.getString("status"), s.containsKey("outcome") ? s.getString("outcome") : "none");
    }

    private static long submitThroughLiberty(String inputs, String outputDir) {
        String params = Json.createObjectBuilder()
                .add("inputs", inputs)
                .add("outputDir", Jobs.dir(outputDir))
                .build()
                .toString();
        Api.Reply r = Api.as(Api.SUBMITTER)
                .post(
                        Api.batchUrl() + "/jobinstances",
                        "{\"applicationName\":\"vidbatch\",\"jobXMLName\":\"transcode\",\"jobParameters\":" + params
                                + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().getJsonNumber("instanceId").longValue();
    }
}
