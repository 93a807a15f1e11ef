package io.vidbatch.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What kubernetes/overlays/prod does for a coordinator whose output folder is an emptyDir: the
 * TLS keystore and the LTPA keys come from files that outlive the process (Secrets there,
 * read-only files here). A console sign-in made before a restart still holds after it, the
 * server presents the same certificate (one that does not name localhost), and the purge's
 * loopback call to Liberty's batch API trusts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeysFromSecretsIT {

    private static final int HTTP = Integer.getInteger("vidbatch.it.keys.http.port", 29280);
    private static final int HTTPS = Integer.getInteger("vidbatch.it.keys.https.port", 29643);
    private static final String NAME = "vidbatch-keys";
    private static final Path SECRETS = Path.of("target/it/keys-secrets").toAbsolutePath();
    private static final Path SERVER = Path.of("target/liberty/wlp/usr/servers/" + NAME);

    private ProductionServer process;

    @AfterAll
    void stop() throws Exception {
        if (process != null) {
            process.stop();
        }
    }

    @Test
    void aSignInAndTheCertificateSurviveARestartThatLosesTheOutputFolder() throws Exception {
        SecureRandom random = new SecureRandom();
        String keystorePassword = new BigInteger(160, random).toString(36);
        String ltpaPassword = new BigInteger(160, random).toString(36);
        Path keystore = SECRETS.resolve("tls/keystore.p12");
        Path ltpaKeys = SECRETS.resolve("ltpa/ltpa.keys");
        makeSecrets(keystore, keystorePassword, ltpaKeys, ltpaPassword);
        Map<String, String> settings = new HashMap<>();
        settings.put("VIDBATCH_PROFILE", "development");
        settings.put("KEYSTORE_FILE", keystore.toString());
        settings.put("KEYSTORE_PASSWORD", keystorePassword);
        settings.put("LTPA_KEYS_FILE", ltpaKeys.toString());
        settings.put("LTPA_KEYS_PASSWORD", ltpaPassword);
        // The console's single sign-on link (docs/sign-in.md): offered, and where it leads.
        settings.put("SSO_SIGN_IN", "true");
        process = ProductionServer.create(NAME, HTTP, HTTPS, settings);
        Certificate given = certificateIn(keystore, keystorePassword);
        HttpClient browser = pinnedTo(given);

        process.startReady(HTTPS);
        HttpResponse<String> signIn = browser.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS + "/vidbatch/session"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                AdminCenterIT.form("user", Api.ADMIN, "password", Api.password(Api.ADMIN))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
        String cookie = ssoCookie(signIn);
        assertThat(whoIsSignedIn(browser, cookie)).contains("\"user\":\"admin\"");
        HttpResponse<String> anonymous = browser.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS + "/vidbatch/session"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"sso\":\"/vidbatch/session/sso\"");
        HttpResponse<Void> sso = browser.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS + "/vidbatch/session/sso"))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(sso.statusCode()).as("signed in: on to the console").isEqualTo(302);
        assertThat(sso.headers().firstValue("Location").orElse("")).endsWith("/vidbatch/console/");
        assertThat(presented(browser))
                .as("the certificate from the keystore file")
                .isEqualTo(given);
        assertThat(SERVER.resolve("resources/security/ltpa.keys"))
                .as("no keys generated into the output folder: the given ones are used")
                .doesNotExist();

        process.stop();
        // What an emptyDir does to Liberty's output folder at a pod's restart.
        deleteTree(SERVER.resolve("resources"));
        process.startReady(HTTPS);

        assertThat(presented(browser))
                .as("the same certificate after the restart")
                .isEqualTo(given);
        assertThat(whoIsSignedIn(browser, cookie))
                .as("the sign-on cookie from before the restart")
                .contains("\"user\":\"admin\"");
        // The purge calls Liberty's batch API on this server over HTTPS: it must trust a certificate
        // that names another host than localhost (the one it connects to).
        HttpResponse<String> purge = browser.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS + "/vidbatch/api/v1/purge"))
                        .header("Authorization", basic(Api.ADMIN, Api.password(Api.ADMIN)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"olderThanDays\":3650}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(purge.statusCode()).as(purge.body()).isEqualTo(200);
    }

    /**
     * A client that trusts exactly {@code certificate} and checks no host name (it names the
     * service, not localhost): the handshake itself proves which certificate the server presents.
     */
    private static HttpClient pinnedTo(Certificate certificate) throws Exception {
        X509ExtendedTrustManager pinned = new X509ExtendedTrustManager() {
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (!chain[0].equals(certificate)) {
                    throw new CertificateException(
                            "not the certificate from the keystore file: " + chain[0].getSubjectX500Principal());
                }
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client only");
            }

            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                throw new CertificateException("client only");
            }

            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                throw new CertificateException("client only");
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {pinned}, null);
        return HttpClient.newBuilder()
                .sslContext(ssl)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_NONE))
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * The two files an operator puts into Secrets: a PKCS12 keystore whose certificate names a
     * service (not localhost), and LTPA keys made by Liberty's securityUtility.
     * Read-only, as a Secret's volume is.
     */
    private static void makeSecrets(Path keystore, String keystorePassword, Path ltpaKeys, String ltpaPassword)
            throws Exception {
        deleteTree(SECRETS);
        Files.createDirectories(keystore.getParent());
        Files.createDirectories(ltpaKeys.getParent());
        // As kubernetes/install makes it: openssl, an EC key, the Service's name.
        Path key = SECRETS.resolve("tls.key");
        Path cert = keystore.resolveSibling("ca.crt");
        run(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "30",
                "-subj",
                "/CN=vidbatch-coordinator.vidbatch.svc",
                "-addext",
                "subjectAltName=DNS:vidbatch-coordinator.vidbatch.svc",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString()));
        run(
                List.of(
                        "openssl",
                        "pkcs12",
                        "-export",
                        "-name",
                        "vidbatch",
                        "-in",
                        cert.toString(),
                        "-inkey",
                        key.toString(),
                        "-out",
                        keystore.toString(),
                        "-passout",
                        "env:KEYSTORE_PASSWORD"),
                Map.of("KEYSTORE_PASSWORD", keystorePassword));
        Files.delete(key);
        run(List.of(
                Path.of("target/liberty/wlp/bin/securityUtility").toString(),
                "createLTPAKeys",
                "--password=" + ltpaPassword,
                "--file=" + ltpaKeys));
        for (Path f : List.of(keystore, ltpaKeys)) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r-----"));
        }
    }

    private static void run(List<String> command) throws Exception {
        run(command, Map.of());
    }

    private static void run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(command.get(0) + " ended").isTrue();
        assertThat(p.exitValue())
                .as(String.join(" ", command.subList(0, 2)) + ":\n" + out)
                .isZero();
    }

    private static Certificate certificateIn(Path keystore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        return ks.getCertificate("vidbatch");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String ssoCookie(HttpResponse<?> signIn) {
        return signIn.headers().allValues("Set-Cookie").stream()
                .flatMap(h -> HttpCookie.parse(h).stream())
                .filter(c -> c.getName().equals("LtpaToken2"))
                .map(c -> c.getName() + "=" + c.getValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no LtpaToken2 cookie in " + signIn.headers()));
    }

    private static String whoIsSignedIn(HttpClient browser, String cookie) throws Exception {
        HttpResponse<String> r = browser.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS + "/vidbatch/session"))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode())
                .as("GET /vidbatch/session with the cookie: " + r.body())
                .isEqualTo(200);
        return r.body();
    }

    private static Certificate presented(HttpClient browser) throws Exception {
        HttpResponse<Void> r = browser.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS + "/health/live"))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        return r.sslSession()
                .orElseThrow(() -> new AssertionError("no TLS session"))
                .getPeerCertificates()[0];
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    p.toFile().setWritable(true);
                    Files.delete(p);
                }
            }
        }
    }
}
