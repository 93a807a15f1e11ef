package io.vidbatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser: what a user signs in to, clicks and sees. Screenshots of
 * each step land in target/screenshots.
 */
@MicroShedTest
class ConsoleIT {

    private static final String STOP_STATUS = """
            const done = arguments[arguments.length - 1];
            fetch('../api/v1/jobs/' + arguments[0] + '/stop', {method: 'POST', credentials: 'same-origin'})
              .then(r => done(r.status), e => done(String(e)));
            """;

    @Test
    void aSubmitterSubmitsAJobAndWatchesItToTheEnd() {
        try (Browser b = new Browser()) {
            b.signIn(Api.SUBMITTER, "");
            b.click(By.id("nav-new"));
            WebElement form = b.await(d -> d.findElement(By.id("submit")), "the submit form");
            form.findElement(By.name("inputs"))
                    .sendKeys(String.join(
                            "\n",
                            TranscodeIT.DEMO.stream().map(n -> "samples/" + n).toList()));
            WebElement workers = form.findElement(By.name("workers"));
            workers.clear();
            workers.sendKeys("2");
            form.findElement(By.name("outputDir")).sendKeys(Jobs.dir("it-console"));
            new Select(form.findElement(By.name("preset"))).selectByValue("h264-720p");
            form.findElement(By.name("operations")).sendKeys("thumbnail(at=50%)");
            form.findElement(By.cssSelector("button[type=submit]")).click();

            String url = b.await(
                    d -> d.getCurrentUrl().matches(".*#/jobs/\\d+$") ? d.getCurrentUrl() : null, "the new job's page");
            long id = Long.parseLong(url.replaceAll(".*#/jobs/", ""));
            b.await(
                    d -> !d.findElements(By.cssSelector("#lanes .lane-track > div"))
                            .isEmpty(),
                    "a worker lane with an item",
                    Duration.ofMinutes(1));
            b.screenshot("console-1-running");

            // The bar a user watches: it reaches 100 % and the job says COMPLETED.
            b.await(
                    d -> "100"
                                    .equals(d.findElement(By.cssSelector("main .card [role=progressbar]"))
                                            .getAttribute("aria-valuenow"))
                            && "COMPLETED"
                                    .equals(d.findElement(By.cssSelector("h1 .state"))
                                            .getAttribute("data-state")),
                    "the progress bar at 100 % and COMPLETED",
                    Duration.ofMinutes(3));
            // Thumbnails are loaded images, not broken links.
            b.await(
                    d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d)
                            .executeScript("const imgs = [...document.querySelectorAll('#outputs img.thumbnail')];"
                                    + "return imgs.length === 5 && imgs.every(i => i.complete && i.naturalWidth > 0);"),
                    "five loaded thumbnails");
            List<WebElement> lanes = b.driver().findElements(By.cssSelector("#lanes .lane"));
            assertThat(lanes)
                    .as("one lane per partition, two workers asked for")
                    .hasSize(2);
            assertThat(b.driver().findElements(By.cssSelector("#items tbody tr")))
                    .hasSize(5);
            assertThat(b.driver().findElements(By.cssSelector("#items .state[data-state=DONE]")))
                    .hasSize(5);
            b.screenshot("console-2-completed");

            // The list shows it too, with its bar full.
            b.open("#/");
            b.await(
                    d -> "100"
                            .equals(d.findElement(By.cssSelector("#jobs tr[data-job='" + id + "'] [role=progressbar]"))
                                    .getAttribute("aria-valuenow")),
                    "the job in the list with a full bar");
            b.screenshot("console-3-list");

            JsonObject job = Jobs.get(id);
            assertThat(job.getString("status")).isEqualTo("COMPLETED");
        }
    }

    /**
     * Signs in, then has the submitter start a one-item job of a minute's video and waits on its
     * page until the item runs. Signed in first: on a fast machine the job runs for seconds only,
     * and must still be running when seen.
     */
    private static long watchALongJobRun(Browser b, String user, String outputDir) {
        b.signIn(user, "");
        long id = Jobs.submit(Jobs.body(
                "inputs", List.of("samples/slow-1080p-60s.mp4"), "outputDir", Jobs.dir(outputDir), "workers", 1));
        b.open("#/jobs/" + id);
        b.await(
                d -> !d.findElements(By.cssSelector("#items .state[data-state=RUNNING]"))
                        .isEmpty(),
                "the item running",
                Duration.ofMinutes(1));
        return id;
    }

    @Test
    void aSubmitterStopsARunningJob() {
        long id;
        try (Browser b = new Browser()) {
            id = watchALongJobRun(b, Api.SUBMITTER, "it-console-stop");
            b.click(By.id("stop-job"));
            b.driver().switchTo().alert().accept();
            b.await(
                    d -> "STOPPED"
                            .equals(d.findElement(By.cssSelector("h1 .state")).getAttribute("data-state")),
                    "the job STOPPED",
                    Duration.ofMinutes(1));
            assertThat(b.driver().findElement(By.id("restart-job")).isDisplayed())
                    .as("a stopped job offers a restart")
                    .isTrue();
            b.screenshot("console-4-stopped");
        }
        assertThat(Jobs.get(id).getString("status")).isEqualTo("STOPPED");
    }

    @Test
    void aMonitorSeesNoStopButtonAndCannotStop() {
        long id;
        try (Browser b = new Browser()) {
            id = watchALongJobRun(b, Api.MONITOR, "it-console-monitor");
            assertThat(b.driver().findElements(By.id("stop-job")))
                    .as("stop button for a monitor")
                    .isEmpty();
            assertThat(b.driver().findElements(By.id("nav-new"))).allMatch(e -> !e.isDisplayed());
            b.screenshot("console-5-monitor");
            // Calling stop anyway, with the monitor's own sign-in cookie and with a password: refused both ways.
            assertThat(b.script(STOP_STATUS, id)).isEqualTo(403L);
            Api.Reply direct = Api.as(Api.MONITOR).post(Api.appUrl() + "/api/v1/jobs/" + id + "/stop", "");
            assertThat(direct.status()).isEqualTo(403);
        }
        assertThat(Jobs.get(id).getString("status"))
                .as("the refused stops stopped nothing")
                .isNotIn("STOPPING", "STOPPED");
        // Its owner may stop it (and spares the next test a minute's encode).
        Jobs.on(Api.Server.main()).control(id, "stop");
        assertThat(Jobs.waitForEnd(id, Duration.ofMinutes(1)).getString("status"))
                .isEqualTo("STOPPED");
    }

    @Test
    void everyProblemShowsItsReasonAndTheEndOfFfmpegsLog() throws java.io.IOException {
        BadInputIT.makeBadFiles();
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4", "bad/corrupt.mp4", "bad/notes.mp4"),
                "outputDir",
                Jobs.dir("it-console-bad")));
        Jobs.waitForEnd(id, Duration.ofMinutes(2));
        try (Browser b = new Browser()) {
            b.signIn(Api.ADMIN, "#/jobs/" + id);
            WebElement problems = b.await(d -> d.findElement(By.id("problems")), "the problems");
            assertThat(problems.getText())
                    .contains("bad/notes.mp4: not a readable media file")
                    .containsPattern("item \\d+ \\(whole of corrupt.mp4\\): decoding errors");
            b.click(By.cssSelector("#problems button"));
            String log = b.await(
                    d -> {
                        String text = d.findElement(By.cssSelector("#problems pre.log"))
                                .getText();
                        return text.isBlank() ? null : text;
                    },
                    "ffmpeg's log");
            assertThat(log).contains("[error]");
            b.screenshot("console-6-problems");
        }
    }

    /** A job's page lists its notifications: here one its webhook refused, with the error and the next try. */
    @Test
    void aJobsPageShowsWhoWasToldOfItsEnd() {
        String webhook = "console-" + Jobs.dir("it").replaceAll("[^a-z0-9-]", "");
        // Nothing listens on the discard port: every attempt is refused, and retried.
        Api.Reply put = Api.as(Api.ADMIN)
                .put(
                        Api.appUrl() + "/api/v1/webhooks/" + webhook,
                        "{\"url\": \"http://127.0.0.1:9/hook\", \"secret\": \"" + "s".repeat(32) + "\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4"),
                "outputDir",
                Jobs.dir("it-console-notify"),
                "dryRun",
                true,
                "notify",
                webhook));
        Jobs.waitForEnd(id, Duration.ofMinutes(1));
        try (Browser b = new Browser()) {
            b.signIn(Api.SUBMITTER, "#/jobs/" + id);
            String row = b.await(
                    d -> {
                        String text = d.findElement(By.cssSelector("#deliveries tbody tr"))
                                .getText();
                        return text.contains("cannot connect to 127.0.0.1") ? text : null;
                    },
                    "the refused delivery with its error");
            assertThat(row).contains(webhook, "job.completed", "PENDING");
            b.screenshot("console-8-notifications");
        }
        Api.as(Api.ADMIN).delete(Api.appUrl() + "/api/v1/webhooks/" + webhook);
    }

    /**
     * A finished ladder job's page: every rung in the renditions table and on the chart, and the
     * ladder playing in the page through hls.js (loaded only for it), then on the rung chosen.
     */
    @Test
    void aLadderJobShowsItsRungsOnAChartAndPlaysInThePage() {
        String given = "samples/phone-vfr-12s.mp4";
        long id = Jobs.submit(Jobs.body(
                "inputs",
                List.of(given),
                "outputDir",
                Jobs.dir("it-console-ladder"),
                "ladder",
                "360:h264:26:1M,240:h264:28:500k"));
        JsonObject job = Jobs.waitForEnd(id, Duration.ofMinutes(3));
        assertThat(job.getString("status")).isEqualTo("COMPLETED");
        JsonObject ladder = LadderIT.input(job, given).getJsonObject("ladder");
        List<String> rungs = LadderIT.ids(ladder);
        assertThat(rungs).containsExactly("h264-360p", "h264-240p");
        try (Browser b = new Browser()) {
            b.signIn(Api.SUBMITTER, "#/jobs/" + id);
            b.await(
                    d -> d.findElements(By.cssSelector(".ladder table.renditions tbody tr"))
                                    .size()
                            == rungs.size(),
                    "the ladder's renditions table");
            assertThat(b.driver().findElements(By.cssSelector(".ladder table.renditions tbody tr")))
                    .extracting(r -> r.getAttribute("data-rung"))
                    .containsExactlyElementsOf(rungs);
            assertThat(b.driver().findElements(By.cssSelector(".ladder svg.chart circle.point")))
                    .as("one point per rung on the chart")
                    .extracting(c -> c.getAttribute("data-rung"))
                    .containsExactlyInAnyOrderElementsOf(rungs);
            assertThat(b.driver()
                            .findElement(By.cssSelector(".ladder svg.chart"))
                            .getAttribute("aria-label"))
                    .contains(rungs);
            // Each rendition's worst frame, served through the API and decoded by the browser.
            b.await(
                    d -> ((org.openqa.selenium.JavascriptExecutor) d)
                            .executeScript("const i = [...document.querySelectorAll('.worst-frames img')];"
                                    + " return i.length === " + rungs.size()
                                    + " && i.every(x => x.complete && x.naturalWidth > 0);")
                            .equals(Boolean.TRUE),
                    "a still of each rendition's worst frame");

            // hls.js, from the application's webjar, has read the master playlist: the rung choice opens.
            WebElement select = b.await(
                    d -> {
                        WebElement s = d.findElement(By.cssSelector(".ladder select.rung-select"));
                        return s.isEnabled() ? s : null;
                    },
                    "the player ready with its rungs",
                    Duration.ofSeconds(30));
            assertThat(b.driver().findElements(By.cssSelector("script[src*='webjars/hls.js/']")))
                    .hasSize(1);
            JavascriptExecutor js = (JavascriptExecutor) b.driver();
            // Muted, so the browser lets a script start it.
            js.executeScript("document.querySelector('.ladder video').play()");
            b.await(
                    d -> (Boolean) js.executeScript("return document.querySelector('.ladder video').currentTime > 1"),
                    "the ladder playing past 1 s",
                    Duration.ofSeconds(30));

            // Then the rung it is not playing, chosen in the page: the picture on screen becomes that rung's.
            long shown = ((Number) js.executeScript("return document.querySelector('.ladder video').videoHeight"))
                    .longValue();
            JsonObject other = LadderIT.renditions(ladder).stream()
                    .filter(r -> r.getInt("height") != shown)
                    .findFirst()
                    .orElseThrow();
            double asked = ((Number) js.executeScript("return document.querySelector('.ladder video').currentTime"))
                    .doubleValue();
            new Select(select).selectByValue(other.getString("id"));
            String size = other.getInt("width") + "×" + other.getInt("height");
            b.await(
                    d -> d.findElement(By.cssSelector(".ladder .player-status"))
                                    .getText()
                                    .equals("playing " + size)
                            && (Boolean) js.executeScript(
                                    "const v = document.querySelector('.ladder video');"
                                            + "return v.videoHeight === arguments[0] && v.currentTime > arguments[1] && !v.error;",
                                    other.getInt("height"),
                                    asked),
                    "the player on " + other.getString("id"),
                    Duration.ofSeconds(30));
            b.screenshot("console-7-ladder");
        }
    }

    @Test
    void aLapsedSignInBringsBackTheSignInForm() {
        try (Browser b = new Browser()) {
            b.signIn(Api.MONITOR, "");
            b.await(d -> d.findElement(By.cssSelector("h1")).getText().equals("Jobs"), "the job list");
            // What an expired or revoked sign-on cookie looks like to the page: no cookie at all.
            b.driver().manage().deleteCookieNamed("LtpaToken2");
            b.await(d -> d.findElement(By.id("login")), "the sign-in form again");
            assertThat(b.driver().findElement(By.id("who")).getText()).isEmpty();
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndNothingIsShown() {
        try (Browser b = new Browser()) {
            b.open("");
            WebElement form = b.await(d -> d.findElement(By.id("login")), "the sign-in form");
            form.findElement(By.name("user")).sendKeys(Api.SUBMITTER);
            form.findElement(By.name("password")).sendKeys("not-the-password");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            b.await(
                    d -> d.findElement(By.id("login-error")).getText().equals("wrong user name or password"),
                    "the refusal");
            assertThat(b.driver().findElements(By.id("jobs"))).isEmpty();
        }
    }
}
