package io.vidbatch.it;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Debian's headless chromium, driven through Debian's chromedriver: the real browser a user
 * has, and nothing fetched at test time (Selenium is given both paths, so it never looks for
 * its own). One browser per user, so cookies never mix.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("vidbatch.it.chromium", "/usr/bin/chromium");
    static final String DRIVER = System.getProperty("vidbatch.it.chromedriver", "/usr/bin/chromedriver");

    private final WebDriver driver;
    private final String console;

    Browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // The test server's certificate is the one Liberty generated for itself.
        options.setAcceptInsecureCerts(true);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1366,1000",
                "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        console = Api.appUrl() + "/console/";
    }

    WebDriver driver() {
        return driver;
    }

    /** The page as a system in dark mode shows it: prefers-color-scheme: dark (Chromium's own emulation). */
    void darkMode() {
        ((ChromeDriver) driver)
                .executeCdpCommand(
                        "Emulation.setEmulatedMedia",
                        java.util.Map.of(
                                "features",
                                java.util.List.of(java.util.Map.of("name", "prefers-color-scheme", "value", "dark"))));
    }

    /** Opens the console (a job with {@code #/jobs/N}) and signs in through its form. */
    void signIn(String user, String fragment) {
        driver.get(console + fragment);
        WebElement form = await(d -> d.findElement(By.id("login")), "the sign-in form");
        form.findElement(By.name("user")).sendKeys(user);
        form.findElement(By.name("password")).sendKeys(Api.password(user));
        form.findElement(By.cssSelector("button[type=submit]")).click();
        await(d -> d.findElement(By.id("who")).getText().startsWith(user + " ("), "signed in as " + user);
    }

    void open(String fragment) {
        driver.get(console + fragment);
    }

    /** Clicks once the element is there, again if the console redrew it in between. */
    void click(By what) {
        await(
                d -> {
                    d.findElement(what).click();
                    return true;
                },
                "click on " + what);
    }

    <T> T await(ExpectedCondition<T> condition, String what) {
        return await(condition, what, Duration.ofSeconds(20));
    }

    <T> T await(ExpectedCondition<T> condition, String what, Duration timeout) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                    .withMessage(what)
                    // The console redraws its view as it polls: an element found a moment ago may be gone.
                    .ignoring(StaleElementReferenceException.class)
                    .until(condition);
        } catch (TimeoutException e) {
            // What the user would have seen instead, for whoever reads the failure.
            Path png = screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            String logs = driver.manage().logs().get(LogType.BROWSER).getAll().toString();
            throw new AssertionError(
                    "not seen within " + timeout + ": " + what + " (screenshot " + png + ")\nat "
                            + driver.getCurrentUrl() + "\npage: "
                            + driver.findElement(By.tagName("body")).getText() + "\nbrowser console: " + logs,
                    e);
        }
    }

    /** A script run in the page, e.g. a fetch with the signed-in user's cookie. */
    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** Saves a PNG under target/screenshots, where CI keeps it as an artifact. */
    Path screenshot(String name) {
        try {
            Path dir = Path.of(System.getProperty("vidbatch.it.screenshots", "target/screenshots"));
            Files.createDirectories(dir);
            Path png = dir.resolve(name + ".png");
            Files.move(
                    ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
                    png,
                    StandardCopyOption.REPLACE_EXISTING);
            return png;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save screenshot " + name, e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
