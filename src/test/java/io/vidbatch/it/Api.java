package io.vidbatch.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import org.microshed.testing.ApplicationEnvironment;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

/**
 * Calls the running server as a given user: our API (over HTTP, base URL from MicroShed's
 * manually-started environment) and Liberty's batch API (over HTTPS, self-signed in tests).
 */
public final class Api {

    public static final String ADMIN = "admin";
    public static final String SUBMITTER = "submitter";
    public static final String MONITOR = "monitor";

    private static final HttpClient HTTP = client();

    private final String user;
    private final String password;

    private Api(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** A user of the IT server's registry, with the development password. */
    public static Api as(String user) {
        return new Api(user, password(user));
    }

    /** Any user with a given password: a directory's users, or a wrong password. */
    public static Api as(String user, String password) {
        return new Api(user, password);
    }

    public static Api anonymous() {
        return new Api(null, null);
    }

    /** A server under test: our API's base (http://host:port/vidbatch) and Liberty's batch API. */
    public record Server(String appUrl, String batchUrl) {
        /** The main IT server (Derby), as MicroShed's manually-started environment describes it. */
        public static Server main() {
            String app =
                    ApplicationEnvironment.Resolver.load().getApplicationURL().replaceAll("/$", "");
            return new Server(
                    app,
                    "https://" + URI.create(app).getHost() + ":" + System.getProperty("microshed_https_port")
                            + "/ibm/api/batch");
        }

        /** The second IT server, whose job repository is PostgreSQL. */
        public static Server postgres() {
            return new Server(
                    "http://localhost:" + System.getProperty("vidbatch.it.pg.http.port") + "/vidbatch",
                    "https://localhost:" + System.getProperty("vidbatch.it.pg.https.port") + "/ibm/api/batch");
        }
    }

    /** http://host:port/vidbatch of the main IT server. */
    public static String appUrl() {
        return Server.main().appUrl();
    }

    public static String batchUrl() {
        return Server.main().batchUrl();
    }

    public static String password(String user) {
        return user + "-dev";
    }

    public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        /** The header's first value, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonObject json() {
            return (JsonObject) parse();
        }

        public jakarta.json.JsonArray array() {
            return (jakarta.json.JsonArray) parse();
        }

        private JsonStructure parse() {
            try (var r = Json.createReader(new StringReader(body))) {
                return r.read();
            }
        }
    }

    public Reply get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public Reply post(String url, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    public Reply delete(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
    }

    public Reply put(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * The console's sign-in: a form post of this user's name and password to {@code url}
     * (.../vidbatch/session), no Basic header; anonymous posts empty fields.
     */
    public Reply signIn(String url) {
        String form = "user=" + URLEncoder.encode(user == null ? "" : user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password == null ? "" : password, StandardCharsets.UTF_8);
        return exchange(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private Reply send(HttpRequest.Builder b) {
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + token);
        }
        return exchange(b);
    }

    private Reply exchange(HttpRequest.Builder b) {
        b.timeout(Duration.ofSeconds(60));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + e, e);
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .sslContext(trustingSsl())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Liberty's test server has a self-signed certificate; these calls never leave the machine. */
    static SSLContext trustingSsl() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            public void checkClientTrusted(X509Certificate[] c, String a) {}

                            public void checkServerTrusted(X509Certificate[] c, String a) {}

                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
