package io.vidbatch.it;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays an adaptive-bitrate ladder the way viewers do: hls.js for its master.m3u8 and dashjs for
 * its manifest.mpd, in Debian's headless chromium, from a loopback HTTP server. A play starts,
 * plays a few seconds, forces a switch to another video rung and plays on from it, and reports what
 * the player saw; a player that never gets there fails with its errors and the browser's console.
 * The players are the npm packages pinned in src/test/players, installed by scripts/players.
 */
final class LadderPlayer implements AutoCloseable {

    static {
        // Without TCP_NODELAY each small response waits for a delayed ACK (~40 ms). Read once,
        // when the JDK's HTTP server first loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** A video rung as the player describes it; bitrate is the peak (BANDWIDTH, @bandwidth). */
    record Rung(int width, int height, long bitrate, double frameRate) {}

    /** An audio or subtitle rendition; language is "" when the manifest gives none. */
    record Track(String language, String name) {}

    /**
     * What one play saw; rungs in the player's order. Times are the video's currentTime: when the
     * switch was asked for, when the player reported the forced rung playing, when the decoded
     * frames had its size as well (from the next key frame on), and when the play ended, a second
     * after that. videoWidth and videoHeight are the size of the frames decoded at the end. Errors
     * are hls.js fatal errors, dashjs error events and the video element's error; warnings are
     * hls.js non-fatal errors: a stall on a slow machine is one, a segment skipped as unparsable
     * another.
     */
    record Result(
            String player,
            List<Rung> rungs,
            List<Track> audio,
            List<Track> subtitles,
            Rung forced,
            Rung playingAfterSwitch,
            double timeBeforeSwitch,
            double timeSwitchReported,
            double timeSwitchShown,
            double timeAfterSwitch,
            int videoWidth,
            int videoHeight,
            List<String> errors,
            List<String> warnings) {}

    /** A failure guard for slow CI machines, not a measurement. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final double PLAY_BEFORE_SWITCH = 3.0;
    private static final double PLAY_AFTER_SWITCH = 1.0;
    private static final Map<String, String> TYPES = Map.of(
            "m3u8", "application/vnd.apple.mpegurl",
            "mpd", "application/dash+xml",
            "m4s", "video/mp4",
            "mp4", "video/mp4",
            "m4v", "video/mp4",
            "m4a", "audio/mp4",
            "vtt", "text/vtt; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "html", "text/html; charset=utf-8");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private static Path installed;

    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final HttpServer server;
    private final String base;
    private final WebDriver driver;
    private final AtomicInteger plays = new AtomicInteger();

    LadderPlayer() throws IOException {
        Path modules = installPlayers().resolve("node_modules");
        // The page asks for these two names; nothing else of node_modules is served.
        Map<String, Path> players = Map.of(
                "hls.min.js", modules.resolve("hls.js/dist/hls.min.js"),
                "dash.all.min.js", modules.resolve("dashjs/dist/modern/umd/dash.all.min.js"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/page.html", x -> {
            try (x;
                    InputStream page = LadderPlayer.class.getResourceAsStream("/players/page.html")) {
                send(x, 200, "html", page.readAllBytes());
            }
        });
        server.createContext("/players/", x -> {
            try (x) {
                Path file = players.get(x.getRequestURI().getPath().substring("/players/".length()));
                if (file == null) {
                    send(x, 404, "", new byte[0]);
                } else {
                    sendFile(x, file);
                }
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            driver = chromium();
        } catch (RuntimeException e) {
            server.stop(0);
            threads.shutdownNow();
            throw e;
        }
    }

    Result playHls(Path ladderDir) {
        return play("hls", ladderDir, "master.m3u8");
    }

    Result playDash(Path ladderDir) {
        return play("dash", ladderDir, "manifest.mpd");
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /** Browser's chromium, with autoplay allowed (the page's video is muted as well). */
    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Browser.CHROMIUM);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(Browser.DRIVER))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private Result play(String player, Path ladderDir, String manifest) {
        if (!Files.isRegularFile(ladderDir.resolve(manifest))) {
            throw new IllegalArgumentException("no " + manifest + " in " + ladderDir);
        }
        // A fresh path per play, so nothing the browser cached from another ladder is reused.
        String mount = "/ladder/" + plays.incrementAndGet() + "/";
        HttpContext context = server.createContext(mount, directory(mount, ladderDir));
        try {
            driver.get(base + "/page.html");
            js("harness.start(arguments[0], arguments[1])", player, base + mount + manifest);
            String what = player + " playing " + ladderDir.resolve(manifest);

            Map<String, Object> before =
                    await(s -> number(s, "time") >= PLAY_BEFORE_SWITCH, what + ", " + PLAY_BEFORE_SWITCH + " s played");
            List<Rung> rungs = rungs(before);
            if (rungs.size() < 2) {
                throw new AssertionError(what + ": one rung only, nothing to switch to: " + rungs);
            }
            int playing = (int) number(before, "playing");
            if (playing < 0) {
                playing = (int) number(before, "selected");
            }
            // The other end of the ladder, so the switch shows in the decoded frame size too.
            int forced = playing == 0 ? rungs.size() - 1 : 0;
            js("harness.force(arguments[0])", forced);

            Map<String, Object> after = await(
                    s -> {
                        double at = number(s, "shownAt");
                        double time = number(s, "time");
                        return at >= 0
                                && number(s, "playing") == forced
                                // A short ladder may end first; it still played on from the switch.
                                && (time >= at + PLAY_AFTER_SWITCH || Boolean.TRUE.equals(s.get("ended")) && time > at);
                    },
                    what + ", rung " + forced + " " + rungs.get(forced) + " reported playing, its frames shown, and "
                            + PLAY_AFTER_SWITCH + " s more played");
            List<Rung> seen = rungs(after);
            return new Result(
                    player,
                    seen,
                    tracks(after, "audio"),
                    tracks(after, "subtitles"),
                    rungs.get(forced),
                    seen.get((int) number(after, "playing")),
                    number(before, "time"),
                    number(after, "reportedAt"),
                    number(after, "shownAt"),
                    number(after, "time"),
                    (int) number(after, "videoWidth"),
                    (int) number(after, "videoHeight"),
                    strings(after, "errors"),
                    strings(after, "warnings"));
        } finally {
            server.removeContext(context);
        }
    }

    /**
     * Polls the page's state until {@code until} holds. A stopped player (video element error,
     * hls.js fatal error) or an ended video fails at once: it would not get there in any time.
     */
    private Map<String, Object> await(Predicate<Map<String, Object>> until, String what) {
        AtomicReference<Map<String, Object>> last = new AtomicReference<>();
        try {
            return new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(200)).until(d -> {
                Map<String, Object> s = state();
                last.set(s);
                if (until.test(s)) {
                    return s;
                }
                if (Boolean.TRUE.equals(s.get("stopped")) || Boolean.TRUE.equals(s.get("ended"))) {
                    String how = Boolean.TRUE.equals(s.get("stopped")) ? "the player stopped" : "the video ended";
                    throw new AssertionError(how + " before " + what + "\n" + diagnosis(s));
                }
                return null;
            });
        } catch (TimeoutException e) {
            throw new AssertionError("not seen within " + TIMEOUT + ": " + what + "\n" + diagnosis(last.get()), e);
        }
    }

    private String diagnosis(Map<String, Object> state) {
        String console = driver.manage().logs().get(LogType.BROWSER).getAll().toString();
        return "player errors: " + (state == null ? "?" : state.get("errors")) + "\nplayer state: " + state
                + "\nbrowser console: " + console;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> state() {
        return (Map<String, Object>) js("return harness.state()");
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    // Selenium hands JavaScript numbers back as Long or Double, whichever fits.
    private static double number(Map<String, Object> map, String key) {
        return map.get(key) instanceof Number n ? n.doubleValue() : -1;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> state, String key) {
        return (List<Map<String, Object>>) state.get(key);
    }

    private static List<Rung> rungs(Map<String, Object> state) {
        return maps(state, "rungs").stream()
                .map(r -> new Rung(
                        (int) number(r, "width"),
                        (int) number(r, "height"),
                        (long) number(r, "bitrate"),
                        number(r, "frameRate")))
                .toList();
    }

    private static List<String> strings(Map<String, Object> state, String key) {
        return ((List<?>) state.get(key)).stream().map(String::valueOf).toList();
    }

    private static List<Track> tracks(Map<String, Object> state, String key) {
        return maps(state, key).stream()
                .map(t -> new Track(String.valueOf(t.get("language")), String.valueOf(t.get("name"))))
                .toList();
    }

    /** Serves the files under {@code root} at {@code mount}, and nothing outside it. */
    private static HttpHandler directory(String mount, Path root) {
        Path top = root.toAbsolutePath().normalize();
        return x -> {
            try (x) {
                Path file = top.resolve(x.getRequestURI().getPath().substring(mount.length()))
                        .normalize();
                // toRealPath: a symbolic link may lead out of the directory as well.
                if (!file.startsWith(top)
                        || Files.exists(file) && !file.toRealPath().startsWith(top.toRealPath())) {
                    send(x, 403, "", new byte[0]);
                } else if (!Files.isRegularFile(file)) {
                    send(x, 404, "", new byte[0]);
                } else {
                    sendFile(x, file);
                }
            }
        };
    }

    // One byte range, for ladders that keep a rendition in one file (EXT-X-BYTERANGE, SegmentBase):
    // the whole file in answer would hand the player the wrong bytes.
    private static void sendFile(HttpExchange x, Path file) throws IOException {
        if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
            send(x, 405, "", new byte[0]);
            return;
        }
        byte[] body = Files.readAllBytes(file);
        String ext = file.getFileName().toString().replaceFirst(".*\\.", "");
        String range = x.getRequestHeaders().getFirst("Range");
        if (range == null) {
            send(x, 200, ext, body);
            return;
        }
        Matcher m = RANGE.matcher(range.trim());
        long start = m.matches() ? Long.parseLong(m.group(1)) : -1;
        long end = m.matches() && !m.group(2).isEmpty() ? Long.parseLong(m.group(2)) : body.length - 1L;
        if (start < 0 || start >= body.length || end < start) {
            x.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
            send(x, 416, "", new byte[0]);
            return;
        }
        end = Math.min(end, body.length - 1L);
        x.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + body.length);
        send(x, 206, ext, Arrays.copyOfRange(body, (int) start, (int) end + 1));
    }

    private static void send(HttpExchange x, int status, String ext, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.getResponseHeaders().set("Accept-Ranges", "bytes");
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Runs scripts/players once per JVM, whether or not the players are there: it installs only
     * when src/test/players/package-lock.json differs from the one installed, so a changed pin is
     * installed too, and a fresh clone needs no step of its own.
     */
    private static synchronized Path installPlayers() throws IOException {
        if (installed == null) {
            Path project = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
            Process p = new ProcessBuilder(
                            List.of(project.resolve("scripts/players").toString()))
                    .directory(project.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("scripts/players failed:\n" + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted installing the players", e);
            }
            // npm's own messages come first, on stderr; the directory is the last line.
            List<String> lines = out.strip().lines().toList();
            installed = Path.of(lines.get(lines.size() - 1));
        }
        return installed;
    }
}
