package io.vidbatch.retention;

import com.ibm.websphere.security.web.WebSecurityHelper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.servlet.http.Cookie;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Liberty's own batch REST API on this server: the job instances it holds, and its purge, which
 * removes an instance's rows from the job repository and its job logs. Called over loopback
 * HTTPS, trusting nothing but this server's own keystore, as whoever runs the purge: the admin
 * who asked for it over REST, or the nightly purge's run-as identity. Their single sign-on cookie
 * stands for them, so no password is needed: with a directory (registry=ldap) there is none to
 * give, and the basic registry's admin password stays out of the application.
 */
@ApplicationScoped
public class LibertyBatch {

    /** Instances a purge takes per request: one URL of ids, well under any URL limit. */
    static final int PER_REQUEST = 100;

    private static final String ENDED = "COMPLETED,FAILED,STOPPED,ABANDONED";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Inject
    @ConfigProperty(name = "https.port")
    int httpsPort;

    @Inject
    @ConfigProperty(name = "keystore.password")
    String keystorePassword;

    @Inject
    @ConfigProperty(name = "keystore.file")
    String keystoreFile;

    private volatile HttpClient client;

    /** An ended job instance of the transcode job, and when Liberty last recorded anything of it. */
    public record Instance(long id, Instant lastUpdated) {}

    /** What Liberty did with one instance it was asked to purge. */
    public record Purged(long id, boolean done, String message) {}

    /** One page of the ended transcode instances, oldest first. */
    public List<Instance> ended(int page, int size) throws IOException {
        JsonArray a = get("v4/jobinstances?jobName=transcode&instanceState=" + ENDED + "&page=" + page + "&pageSize="
                        + size)
                .asJsonArray();
        List<Instance> out = new ArrayList<>(a.size());
        for (JsonValue v : a) {
            JsonObject o = v.asJsonObject();
            out.add(new Instance(
                    o.getJsonNumber("instanceId").longValue(),
                    ZonedDateTime.parse(o.getString("lastUpdatedTime"), TIME).toInstant()));
        }
        return out;
    }

    /** Which of these instances Liberty still holds. */
    public List<Long> existing(List<Long> ids) throws IOException {
        if (ids.isEmpty()) {
            return List.of();
        }
        JsonArray a = get("v4/jobinstances?jobInstanceId=" + join(ids) + "&pageSize=" + ids.size())
                .asJsonArray();
        return a.stream()
                .map(v -> v.asJsonObject().getJsonNumber("instanceId").longValue())
                .toList();
    }

    /** The job parameters of an instance's first execution (an instance keeps its parameters). */
    public Map<String, String> parameters(long instance) throws IOException {
        JsonArray executions =
                get("jobinstances/" + instance + "/jobexecutions").asJsonArray();
        Map<String, String> out = new HashMap<>();
        if (!executions.isEmpty()) {
            JsonObject p = executions.getJsonObject(0).getJsonObject("jobParameters");
            if (p != null) {
                p.forEach((k, v) -> out.put(k, v instanceof jakarta.json.JsonString s ? s.getString() : v.toString()));
            }
        }
        return out;
    }

    /** Purges at most {@link #PER_REQUEST} instances: their rows and their job logs. */
    public List<Purged> purge(List<Long> ids) throws IOException {
        HttpRequest request = request("v4/jobinstances?jobInstanceId=" + join(ids) + "&pageSize=" + ids.size()
                        + "&purgeJobStoreOnly=false")
                .DELETE()
                .build();
        JsonArray a = send(request).asJsonArray();
        List<Purged> out = new ArrayList<>(a.size());
        for (JsonValue v : a) {
            JsonObject o = v.asJsonObject();
            out.add(new Purged(
                    o.getJsonNumber("instanceId").longValue(),
                    "COMPLETED".equals(o.getString("purgeStatus", "")),
                    o.getString("message", "")));
        }
        return out;
    }

    private static String join(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The sign-on cookie of the identity this thread runs as, which Liberty's batch API takes as that user. */
    private static String ssoCookie() throws IOException {
        Cookie sso;
        try {
            sso = WebSecurityHelper.getSSOCookieFromSSOToken();
        } catch (Exception e) {
            throw new IOException("cannot make a sign-on cookie to call Liberty's batch API with: " + e, e);
        }
        if (sso == null) {
            throw new IOException("nobody is signed in to call Liberty's batch API as");
        }
        return sso.getName() + "=" + sso.getValue();
    }

    private JsonValue get(String path) throws IOException {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) throws IOException {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/ibm/api/batch/" + path))
                .header("Cookie", ssoCookie())
                .header("Accept", "application/json")
                .timeout(TIMEOUT);
    }

    private JsonValue send(HttpRequest request) throws IOException {
        HttpResponse<String> r;
        try {
            r = client().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while Liberty's batch API answered", e);
        }
        if (r.statusCode() != 200) {
            String body = r.body().length() > 300 ? r.body().substring(0, 300) + "…" : r.body();
            throw new IOException("Liberty's batch API answered " + r.statusCode() + " to " + request.method() + " "
                    + request.uri().getPath() + ": " + body);
        }
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readValue();
        }
    }

    /**
     * Trusts only this server's own certificate: whatever answers on the loopback port must present
     * the certificate of this server's key (see {@link OwnCertificate}).
     */
    private HttpClient client() throws IOException {
        if (client == null) {
            try (InputStream in = Files.newInputStream(Path.of(keystoreFile))) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                own.load(in, keystorePassword.toCharArray());
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {OwnCertificate.of(own)}, null);
                client = HttpClient.newBuilder()
                        .sslContext(ssl)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot read this server's keystore " + keystoreFile + ": " + e.getMessage(), e);
            }
        }
        return client;
    }
}
