package io.vidbatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
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
            // Screen readers hear the progress from a polite live region, in words.
            WebElement announce = b.driver().findElement(By.id("announce"));
            assertThat(announce.getAttribute("aria-live")).isEqualTo("polite");
            b.await(
                    d -> d.findElement(By.id("announce"))
                            .getAttribute("textContent")
                            .matches("Job " + id + " (started|starting), \\d+ percent, \\d of 5 items done|Job " + id
                                    + " completed: .*"),
                    "the job's progress announced");

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
            assertThat(b.driver().findElement(By.id("announce")).getAttribute("textContent"))
                    .isEqualTo("Job " + id + " completed: ALL DONE: 5 of 5 inputs done, 0 failed, 0 rejected");
            // Each output has its download link; the browser gets the file itself, named for saving.
            List<WebElement> downloads = b.driver().findElements(By.cssSelector("#outputs a.download"));
            assertThat(downloads).hasSize(5);
            @SuppressWarnings("unchecked")
            List<Object> got = (List<Object>) b.script(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch(arguments[0]).then(r => r.arrayBuffer().then(buf => done([r.status,"
                            + " r.headers.get('content-type'), r.headers.get('content-disposition'),"
                            + " new TextDecoder().decode(new Uint8Array(buf).slice(4, 8)), buf.byteLength])));",
                    downloads.get(0).getAttribute("href"));
            assertThat(got.get(0)).isEqualTo(200L);
            assertThat(got.get(1)).isEqualTo("video/mp4");
            assertThat((String) got.get(2))
                    .startsWith("attachment; filename=\"")
                    .endsWith(".mp4");
            assertThat(got.get(3)).as("an MP4's first box").isEqualTo("ftyp");
            assertThat((Long) got.get(4)).isGreaterThan(1000L);

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

    /**
     * "Run again…" opens the form filled from a job (inputs, segments, items per worker, dry run,
     * audio); changed and submitted, it makes a new job with those settings.
     */
    @Test
    void aJobRunsAgainFromTheFullFormWithItsSettings() {
        long first = Jobs.submit(Jobs.body(
                "inputs",
                List.of("samples/screen-480p-noaudio.mp4"),
                "outputDir",
                Jobs.dir("it-console-first"),
                "segmentSeconds",
                4,
                "groupSize",
                2,
                "audio",
                "first",
                "dryRun",
                true));
        Jobs.waitForEnd(first, Duration.ofMinutes(1));
        try (Browser b = new Browser()) {
            b.signIn(Api.SUBMITTER, "#/jobs/" + first);
            b.click(By.id("run-again"));
            WebElement form = b.await(d -> d.findElement(By.id("submit")), "the form, filled from job " + first);
            assertThat(form.findElement(By.name("inputs")).getAttribute("value"))
                    .isEqualTo("samples/screen-480p-noaudio.mp4");
            assertThat(form.findElement(By.name("segmentSeconds")).getAttribute("value"))
                    .isEqualTo("4");
            assertThat(form.findElement(By.name("groupSize")).getAttribute("value"))
                    .isEqualTo("2");
            assertThat(form.findElement(By.name("audio")).getAttribute("value")).isEqualTo("first");
            assertThat(form.findElement(By.name("dryRun")).isSelected()).isTrue();
            WebElement out = form.findElement(By.name("outputDir"));
            out.clear();
            out.sendKeys(Jobs.dir("it-console-again"));
            b.screenshot("console-9-run-again");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            String url = b.await(
                    d -> d.getCurrentUrl().matches(".*#/jobs/\\d+$") ? d.getCurrentUrl() : null, "the new job's page");
            long again = Long.parseLong(url.replaceAll(".*#/jobs/", ""));
            assertThat(again).isNotEqualTo(first);
            JsonObject settings = Jobs.waitForEnd(again, Duration.ofMinutes(1)).getJsonObject("settings");
            assertThat(settings.getJsonNumber("segmentSeconds").doubleValue()).isEqualTo(4.0);
            assertThat(settings.getInt("groupSize")).isEqualTo(2);
            assertThat(settings.getBoolean("dryRun")).isTrue();
            assertThat(settings.getString("audio")).isEqualTo("first");
            assertThat(settings.getString("outputDir")).endsWith(Jobs.dir("it-console-again"));
        }
    }

    /** The schedules page: each schedule's next firing; a schedule's runs; run now; enable and disable (admins). */
    @Test
    void theSchedulesPageShowsNextFiringsAndRunsAndAdminsRunAndEnableThem() {
        String name = "console-" + Jobs.dir("sched").replaceAll("[^a-z0-9-]", "");
        Api.Reply saved = Api.as(Api.ADMIN)
                .put(
                        Schedules.URL + name,
                        "{\"cron\": \"30 2 * * *\", \"zone\": \"Europe/Paris\", \"enabled\": false, \"job\": "
                                + Jobs.body(
                                        "inputs",
                                        List.of("samples/screen-480p-noaudio.mp4"),
                                        "outputDir",
                                        Jobs.dir("it-console-sched"),
                                        "dryRun",
                                        true)
                                + "}");
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        try (Browser b = new Browser()) {
            b.signIn(Api.ADMIN, "#/schedules");
            WebElement row = b.await(
                    d -> d.findElements(By.cssSelector("#schedules tbody tr")).stream()
                            .filter(r -> r.getText().startsWith(name))
                            .findFirst()
                            .orElse(null),
                    "the schedule in the list");
            assertThat(row.getText()).contains("30 2 * * * (Europe/Paris)", "no");
            row.findElement(By.tagName("a")).click();
            b.click(By.id("run-now"));
            WebElement run = b.await(d -> d.findElement(By.cssSelector("#runs tbody tr")), "the run in the history");
            assertThat(run.getText()).contains("STARTED", "#");
            b.click(By.id("toggle-schedule"));
            b.await(d -> d.findElement(By.id("toggle-schedule")).getText().equals("Disable"), "the schedule enabled");
            String facts = b.driver().findElement(By.cssSelector("main .facts")).getText();
            assertThat(facts).contains("Enabled\nyes").doesNotContain("Next\n—");
            b.screenshot("console-10-schedule");
            b.click(By.id("toggle-schedule"));
            b.await(
                    d -> d.findElement(By.id("toggle-schedule")).getText().equals("Enable"),
                    "the schedule disabled again");
        }
        try (Browser b = new Browser()) {
            // A monitor sees schedules and their runs, and no button.
            b.signIn(Api.MONITOR, "#/schedules/" + name);
            b.await(d -> d.findElement(By.cssSelector("#runs tbody tr")), "the runs");
            assertThat(b.driver().findElements(By.id("run-now"))).isEmpty();
            assertThat(b.driver().findElements(By.id("toggle-schedule"))).isEmpty();
        }
        Api.as(Api.ADMIN).delete(Schedules.URL + name);
    }

    /** With the system in dark mode, the console is dark: the same page, a dark palette. */
    @Test
    void theConsoleFollowsTheSystemsDarkMode() {
        try (Browser b = new Browser()) {
            b.darkMode();
            b.signIn(Api.SUBMITTER, "#/new");
            b.await(d -> d.findElement(By.id("submit")), "the form");
            Object background = ((org.openqa.selenium.JavascriptExecutor) b.driver())
                    .executeScript("return getComputedStyle(document.body).backgroundColor;");
            assertThat(background).isEqualTo("rgb(18, 21, 28)");
            Object field = ((org.openqa.selenium.JavascriptExecutor) b.driver())
                    .executeScript(
                            "return getComputedStyle(document.querySelector('textarea[name=inputs]')).backgroundColor;");
            assertThat(field).as("form fields dark too").isEqualTo("rgb(27, 32, 41)");
            b.screenshot("console-11-dark");
            b.open("#/");
            b.await(d -> d.findElement(By.id("jobs")), "the job list");
            b.screenshot("console-12-dark-list");
        }
    }

    /** A job submitted and opened with the keyboard alone: Tab, typing, Space and Enter. */
    @Test
    void aJobIsSubmittedWithTheKeyboardAlone() {
        try (Browser b = new Browser()) {
            b.signIn(Api.SUBMITTER, "");
            // From the top of a freshly loaded page, as a keyboard user starts.
            b.driver().navigate().refresh();
            b.await(d -> d.findElement(By.id("filters")), "the job list");
            tabTo(b, "a.skip");
            tabTo(b, "a#nav-new");
            keys(b, Keys.ENTER);
            b.await(d -> d.findElement(By.id("submit")), "the form");
            tabTo(b, "textarea[name=inputs]");
            keys(b, "samples/screen-480p-noaudio.mp4");
            tabTo(b, "input[name=outputDir]");
            keys(b, Jobs.dir("it-console-keys"));
            tabTo(b, "input[name=dryRun]");
            keys(b, Keys.SPACE);
            tabTo(b, "button[type=submit]");
            keys(b, Keys.ENTER);
            String url = b.await(
                    d -> d.getCurrentUrl().matches(".*#/jobs/\\d+$") ? d.getCurrentUrl() : null, "the new job's page");
            long id = Long.parseLong(url.replaceAll(".*#/jobs/", ""));
            assertThat(Jobs.waitForEnd(id, Duration.ofMinutes(1))
                            .getJsonObject("settings")
                            .getBoolean("dryRun"))
                    .isTrue();
        }
    }

    /** Keys typed into whatever has the focus, as a keyboard does. */
    private static void keys(Browser b, CharSequence... keys) {
        new Actions(b.driver()).sendKeys(keys).perform();
    }

    /** Presses Tab until {@code css} has the focus (at most 60 times): where a keyboard user gets to. */
    private static void tabTo(Browser b, String css) {
        for (int i = 0; i < 60; i++) {
            WebElement active = b.driver().switchTo().activeElement();
            if (active.equals(b.driver().findElement(By.cssSelector(css)))) {
                return;
            }
            new Actions(b.driver()).sendKeys(Keys.TAB).perform();
        }
        throw new AssertionError("Tab never reached " + css + "; the focus is on "
                + ((org.openqa.selenium.JavascriptExecutor) b.driver())
                        .executeScript("return document.activeElement.outerHTML.slice(0, 200);"));
    }

    /**
     * The job list filters by state, searches by input name and pages (ten a page here), in the
     * API and in the console, whose address keeps the view; a submitter sees only their own jobs.
     */
    @Test
    void theJobListFiltersSearchesAndPages() throws java.io.IOException {
        BadInputIT.makeBadFiles();
        String unique = "findme-" + Jobs.dir("list").replaceAll("[^a-z0-9-]", "");
        java.nio.file.Path dir =
                java.nio.file.Files.createDirectories(Jobs.inputs().resolve(unique));
        java.nio.file.Files.copy(
                Jobs.sample("screen-480p-noaudio.mp4"),
                dir.resolve(unique + ".mp4"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long found = Jobs.submit(Jobs.body(
                "inputs", List.of(unique + "/" + unique + ".mp4"), "outputDir", Jobs.dir("it-list"), "dryRun", true));
        long failed = Jobs.submit(
                Jobs.body("inputs", List.of("bad/notes.mp4"), "outputDir", Jobs.dir("it-list-failed"), "dryRun", true));
        Jobs.waitForEnd(found, Duration.ofMinutes(1));
        Jobs.waitForEnd(failed, Duration.ofMinutes(1));
        // Enough of the submitter's jobs for two pages of ten (the suite's other tests usually made them).
        Api submitter = Api.as(Api.SUBMITTER);
        while (submitter.get(Api.appUrl() + "/api/v1/jobs?limit=12").array().size() < 12) {
            Jobs.waitForEnd(
                    Jobs.submit(Jobs.body(
                            "inputs",
                            List.of("samples/screen-480p-noaudio.mp4"),
                            "outputDir",
                            Jobs.dir("it-list-more"),
                            "dryRun",
                            true)),
                    Duration.ofMinutes(1));
        }

        // The API.
        assertThat(ids(submitter.get(Api.appUrl() + "/api/v1/jobs?q=" + unique.toUpperCase())))
                .as("by input name, any case")
                .containsExactly(found);
        jakarta.json.JsonArray failedOnes =
                submitter.get(Api.appUrl() + "/api/v1/jobs?state=failed").array();
        assertThat(ids(failedOnes)).contains(failed).doesNotContain(found);
        assertThat(failedOnes.getValuesAs(JsonObject.class))
                .allSatisfy(j -> assertThat(j.getString("status")).isEqualTo("FAILED"));
        Api.Reply bad = submitter.get(Api.appUrl() + "/api/v1/jobs?state=done");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("state", "running, completed, partial, failed, stopped");
        assertThat(submitter.get(Api.appUrl() + "/api/v1/jobs?from=yesterday").status())
                .isEqualTo(400);
        List<Long> first = ids(submitter.get(Api.appUrl() + "/api/v1/jobs?limit=5"));
        List<Long> second =
                ids(submitter.get(Api.appUrl() + "/api/v1/jobs?limit=5&before=" + first.get(first.size() - 1)));
        assertThat(first).hasSize(5).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(second).isNotEmpty().allSatisfy(id -> assertThat(id).isLessThan(first.get(4)));
        assertThat(ids(Api.as("submitter2").get(Api.appUrl() + "/api/v1/jobs?limit=1000")))
                .as("another submitter sees none of this one's jobs")
                .doesNotContain(found, failed);
        assertThat(ids(Api.as(Api.MONITOR).get(Api.appUrl() + "/api/v1/jobs?submitter=submitter&q=" + unique)))
                .as("a monitor filters by submitter")
                .containsExactly(found);
        assertThat(ids(Api.as(Api.MONITOR).get(Api.appUrl() + "/api/v1/jobs?submitter=submitter2&q=" + unique)))
                .isEmpty();

        // The console.
        try (Browser b = new Browser()) {
            b.signIn(Api.SUBMITTER, "#/?q=" + unique);
            b.await(
                    d -> d.findElements(By.cssSelector("#jobs tbody tr")).size() == 1,
                    "one job found by its input's name");
            assertThat(b.driver().findElement(By.cssSelector("#jobs tbody tr")).getAttribute("data-job"))
                    .isEqualTo(Long.toString(found));
            b.screenshot("console-13-search");

            WebElement filters = b.driver().findElement(By.id("filters"));
            filters.findElement(By.name("q")).clear();
            new Select(filters.findElement(By.name("state"))).selectByValue("failed");
            filters.findElement(By.cssSelector("button[type=submit]")).click();
            b.await(
                    d -> d.getCurrentUrl().endsWith("#/?state=failed&limit=50")
                            && d.findElements(By.cssSelector("#jobs tr[data-job='" + failed + "']"))
                                            .size()
                                    == 1,
                    "the failed jobs");
            assertThat(b.driver().findElements(By.cssSelector("#jobs tbody .state")))
                    .allSatisfy(e -> assertThat(e.getAttribute("data-state")).isEqualTo("FAILED"));

            b.open("#/?limit=10");
            b.await(d -> d.findElements(By.cssSelector("#jobs tbody tr")).size() == 10, "a page of ten");
            long lastOfFirst = Long.parseLong(b.driver()
                    .findElements(By.cssSelector("#jobs tbody tr"))
                    .get(9)
                    .getAttribute("data-job"));
            b.click(By.id("page-older"));
            b.await(d -> d.getCurrentUrl().contains("before=" + lastOfFirst), "the next page");
            List<Long> older = b.await(
                    d -> {
                        List<Long> rows = d.findElements(By.cssSelector("#jobs tbody tr")).stream()
                                .map(r -> Long.parseLong(r.getAttribute("data-job")))
                                .toList();
                        return rows.isEmpty() ? null : rows;
                    },
                    "the older jobs");
            assertThat(older).allSatisfy(id -> assertThat(id).isLessThan(lastOfFirst));
            assertThat(b.driver().findElements(By.id("page-newest"))).hasSize(1);
            b.screenshot("console-14-older");
        }
    }

    private static List<Long> ids(Api.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return ids(r.array());
    }

    private static List<Long> ids(jakarta.json.JsonArray jobs) {
        return jobs.getValuesAs(JsonObject.class).stream()
                .map(j -> j.getJsonNumber("id").longValue())
                .toList();
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
