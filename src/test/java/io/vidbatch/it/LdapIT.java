package io.vidbatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directory sign-in (REGISTRY=ldap): a production server of its own whose users, passwords and
 * groups are a real OpenLDAP server's (Debian's slapd, started here over LDAPS), gives the users
 * of the three groups, another submitter and a user in no group exactly the role matrix the
 * basic registry gives ({@link RoleMatrix}), over our API, Liberty's batch API, Admin Center and
 * the console's sign-in form. The groups have other names than the defaults (ADMIN_GROUP, ...),
 * the second submitter is a member through a nested group, and schedules run as a directory
 * account that has no password. The server is given no basic-registry password: under the
 * production profile it must start without them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LdapIT {

    private static final int HTTP = Integer.getInteger("vidbatch.it.ldap.http.port", 31080);
    private static final int HTTPS = Integer.getInteger("vidbatch.it.ldap.https.port", 31443);
    private static final int LDAP = Integer.getInteger("vidbatch.it.ldap.port", 31389);
    private static final int LDAPS = Integer.getInteger("vidbatch.it.ldaps.port", 31636);
    private static final String NAME = "vidbatch-ldap";
    private static final Path DIR = Path.of("target/it/ldap").toAbsolutePath();

    private static final String SUFFIX = "dc=vidbatch,dc=test";
    private static final String PEOPLE = "ou=people," + SUFFIX;
    private static final String GROUPS = "ou=groups," + SUFFIX;
    private static final String BIND_DN = "cn=vidbatch-server,ou=services," + SUFFIX;
    private static final String SCHEDULER = "vidbatch-scheduler";
    /** The role groups, by other names than the defaults: the mappings must come from ADMIN_GROUP etc. */
    private static final Map<String, String> ROLE_GROUPS =
            Map.of("ADMIN_GROUP", "video-admins", "SUBMITTER_GROUP", "video-submitters", "MONITOR_GROUP", "video-ops");

    /** The matrix's callers (RoleMatrix.WHO) and the directory's users who play them. */
    private static final Map<String, String> USERS = users();

    private static Map<String, String> users() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Api.MONITOR, "mo");
        m.put(Api.SUBMITTER, "sam");
        m.put(Api.ADMIN, "ada");
        m.put("submitter2", "sue");
        m.put("norole", "nora");
        return m;
    }

    private final Map<String, String> passwords = new HashMap<>();
    private final Api.Server server =
            new Api.Server("https://localhost:" + HTTPS + "/vidbatch", "https://localhost:" + HTTPS + "/ibm/api/batch");
    private String bindPassword;
    private Slapd slapd;
    private ProductionServer process;

    @BeforeAll
    void startADirectoryAndAServerSigningInWithIt() throws Exception {
        long began = System.nanoTime();
        SecureRandom random = new SecureRandom();
        USERS.values().forEach(uid -> passwords.put(uid, new BigInteger(130, random).toString(36)));
        bindPassword = new BigInteger(160, random).toString(36);
        String keystorePassword = new BigInteger(160, random).toString(36);
        Path tls = Files.createDirectories(DIR.resolveSibling("ldap-tls"));
        Path keystore = tls.resolve("server.p12");
        Path certificate = tls.resolve("directory.pem");
        Path key = tls.resolve("directory.key");
        makeKeys(tls, keystore, keystorePassword, certificate, key);

        slapd = Slapd.start(new Slapd.Setup(
                DIR, SUFFIX, BIND_DN, bindPassword, LDAP, LDAPS, certificate, key, directory(passwords)));
        Path outputs = Files.createDirectories(Path.of("target/it/ldap-outputs").toAbsolutePath());
        Map<String, String> env = new HashMap<>(ROLE_GROUPS);
        env.put("VIDBATCH_PROFILE", "production");
        env.put("REGISTRY", "ldap");
        env.put("LDAP_HOST", "localhost");
        env.put("LDAP_PORT", Integer.toString(LDAPS));
        env.put("LDAP_SSL", "true");
        env.put("LDAP_BASE_DN", SUFFIX);
        env.put("LDAP_BIND_DN", BIND_DN);
        env.put("LDAP_BIND_PASSWORD", bindPassword);
        env.put("SCHEDULER_USER", SCHEDULER);
        // The keystore holds the server's own key and, as a trusted certificate, the directory's.
        env.put("KEYSTORE_FILE", keystore.toString());
        env.put("KEYSTORE_PASSWORD", keystorePassword);
        env.put("INPUT_ROOTS", Jobs.inputs().toString());
        env.put("OUTPUT_ROOT", outputs.toString());
        process = ProductionServer.create(NAME, HTTP, HTTPS, env);
        process.startReady(HTTPS);
        System.out.printf(
                "LdapIT: slapd and the server up in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (process != null) {
                process.stop();
            }
        } finally {
            if (slapd != null) {
                slapd.close();
            }
        }
    }

    /** The directory: the three role groups, a nested group, a user in none, the scheduler without a password. */
    private static String directory(Map<String, String> passwords) {
        String sue = "uid=sue," + PEOPLE;
        StringBuilder b = new StringBuilder();
        b.append(Slapd.unit("ou=services," + SUFFIX)).append(Slapd.unit(PEOPLE)).append(Slapd.unit(GROUPS));
        USERS.values().forEach(uid -> b.append(Slapd.person("uid=" + uid + "," + PEOPLE, uid, passwords.get(uid))));
        // Nobody signs in as the scheduler: Liberty asserts its identity for run-as.
        b.append(Slapd.person("uid=" + SCHEDULER + "," + PEOPLE, SCHEDULER, null));
        b.append(Slapd.group("cn=video-admins," + GROUPS, "uid=ada," + PEOPLE));
        b.append(Slapd.group("cn=video-ops," + GROUPS, "uid=mo," + PEOPLE));
        // sue holds batchSubmitter through a group within the submitters' group (recursiveSearch).
        b.append(Slapd.group("cn=contractors," + GROUPS, sue));
        b.append(Slapd.group(
                "cn=video-submitters," + GROUPS,
                "uid=sam," + PEOPLE,
                "cn=contractors," + GROUPS,
                "uid=" + SCHEDULER + "," + PEOPLE));
        // A group of no role that nora and ada are in: membership elsewhere gives nothing.
        b.append(Slapd.group("cn=staff," + GROUPS, "uid=nora," + PEOPLE, "uid=ada," + PEOPLE));
        return b.toString();
    }

    private Api caller(String who) {
        String uid = USERS.get(who);
        return Api.as(uid, passwords.get(uid));
    }

    @Test
    @Order(1)
    void theDirectorysUsersGetTheRoleMatrixOfTheBasicRegistry() throws Exception {
        Path out = Path.of("target/reliability/role-matrix-ldap.md");
        long began = System.nanoTime();
        List<String> wrong = RoleMatrix.check(server, "https://localhost:" + HTTPS, this::caller, out);
        System.out.printf("LdapIT: role matrix in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        assertThat(wrong)
                .as("calls answered otherwise than the basic registry's matrix (table: " + out + ")")
                .isEmpty();
    }

    @Test
    @Order(2)
    void wrongPasswordsUnknownUsersAndFilterCharactersAreRefused() throws Exception {
        String session = "https://localhost:" + HTTPS + "/vidbatch/session";
        String jobs = server.appUrl() + "/api/v1/jobs";
        String ada = passwords.get("ada");
        Map<String, Api> refused = new LinkedHashMap<>();
        refused.put("ada with a wrong password", Api.as("ada", ada + "x"));
        refused.put("an unknown user", Api.as("nobody", ada));
        // %v goes into the user filter: a wildcard must not find ada (or anyone) and bind as her.
        refused.put("a wildcard for a name", Api.as("a*", ada));
        refused.put("a filter in a name", Api.as("ada)(uid=*", ada));
        // The scheduler has no password in the directory: nothing signs in as it.
        refused.put("the scheduler", Api.as(SCHEDULER, "anything"));
        // Liberty delays each failed sign-in against a directory by up to 5 s (failedLoginDelayMax,
        // against guessing names): all at once, the test waits for the slowest only.
        ExecutorService pool = Executors.newFixedThreadPool(2 * refused.size());
        try {
            Map<String, Future<String>> answers = new LinkedHashMap<>();
            refused.forEach((what, api) -> {
                answers.put(what + ", API", pool.submit(() -> api.get(jobs).status() + ""));
                answers.put(
                        what + ", console sign-in",
                        pool.submit(() -> api.signIn(session).status() + ""));
            });
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, Future<String>> a : answers.entrySet()) {
                String status = a.getValue().get(1, TimeUnit.MINUTES);
                if (!status.equals("401")) {
                    wrong.add(a.getKey() + ": " + status);
                }
            }
            assertThat(wrong).as("refusals (401 from both)").isEmpty();
        } finally {
            pool.shutdownNow();
        }
        assertThat(caller(Api.ADMIN).signIn(session).status())
                .as("ada still signs in after her wrong passwords")
                .isEqualTo(200);
    }

    @Test
    @Order(3)
    void aScheduleRunStartsItsJobAsTheDirectorysSchedulerAccount() {
        String url = server.appUrl() + "/api/v1/schedules/";
        String name = "ldap-" + Jobs.dir("run").replaceAll("[^a-z0-9-]", "");
        String body = "{\"cron\": \"0 2 * * *\", \"enabled\": false, \"job\": "
                + Jobs.body(
                        "inputs",
                        List.of("samples/screen-480p-noaudio.mp4"),
                        "outputDir",
                        Jobs.dir("it-ldap-schedule"),
                        "dryRun",
                        true)
                + "}";
        assertThat(caller(Api.ADMIN).put(url + name, body).status()).isEqualTo(201);
        try {
            Api.Reply started = caller(Api.SUBMITTER).post(url + name + "/runs", "");
            assertThat(started.status()).as(started.body()).isEqualTo(201);
            long id = started.json().getJsonNumber("jobInstance").longValue();
            JsonObject instance = caller(Api.ADMIN)
                    .get(server.batchUrl() + "/jobinstances/" + id)
                    .json();
            assertThat(instance.getString("submitter"))
                    .as("Liberty's record of who started the job")
                    .isEqualTo(SCHEDULER);
            assertThat(Jobs.on(server, this::caller)
                            .awaitEnd(id, Duration.ofMinutes(1))
                            .getString("status"))
                    .isEqualTo("COMPLETED");
        } finally {
            caller(Api.ADMIN).delete(url + name);
        }
    }

    @Test
    @Order(4)
    void noDirectoryPasswordIsWrittenToAnyLog() throws Exception {
        // By now every user has signed in many times, and the server has bound to the directory.
        List<String> secrets = new ArrayList<>(passwords.values());
        secrets.add(bindPassword);
        List<String> found = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        logs.add(Path.of("target/production-doors/" + NAME + ".log"));
        try (var files = Files.walk(Path.of("target/liberty/wlp/usr/servers/" + NAME + "/logs"))) {
            files.filter(Files::isRegularFile).forEach(logs::add);
        }
        for (Path f : logs) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            secrets.stream().filter(text::contains).forEach(p -> found.add(f.toString()));
        }
        assertThat(found).isEmpty();
    }

    /**
     * The server's keystore (its own key pair) and the directory's key and certificate (PEM, as
     * slapd reads them), the latter imported into the former as a trusted certificate: what an
     * operator does with the directory's CA (docs/sign-in.md). Both name localhost.
     */
    private static void makeKeys(Path dir, Path keystore, String keystorePassword, Path certificate, Path key)
            throws Exception {
        for (Path f : List.of(keystore, certificate, key, dir.resolve("directory.p12"))) {
            Files.deleteIfExists(f);
        }
        Path directory = dir.resolve("directory.p12");
        String directoryPassword = new BigInteger(130, new SecureRandom()).toString(36);
        Map<String, String> secrets = Map.of("SERVER_STORE", keystorePassword, "DIRECTORY_STORE", directoryPassword);
        keytool(
                secrets,
                "-genkeypair",
                "-keystore",
                keystore.toString(),
                "-storepass:env",
                "SERVER_STORE",
                "-alias",
                "vidbatch",
                "-dname",
                "CN=localhost");
        keytool(
                secrets,
                "-genkeypair",
                "-keystore",
                directory.toString(),
                "-storepass:env",
                "DIRECTORY_STORE",
                "-alias",
                "directory",
                "-dname",
                "CN=localhost,OU=directory");
        keytool(
                secrets,
                "-exportcert",
                "-rfc",
                "-keystore",
                directory.toString(),
                "-storepass:env",
                "DIRECTORY_STORE",
                "-alias",
                "directory",
                "-file",
                certificate.toString());
        keytool(
                secrets,
                "-importcert",
                "-noprompt",
                "-keystore",
                keystore.toString(),
                "-storepass:env",
                "SERVER_STORE",
                "-alias",
                "directory",
                "-file",
                certificate.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(directory)) {
            ks.load(in, directoryPassword.toCharArray());
        }
        Key k = ks.getKey("directory", directoryPassword.toCharArray());
        Files.writeString(key, "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(
                key,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(k.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
    }

    /** keytool with passwords from its environment (-storepass:env), never in its arguments. */
    private static void keytool(Map<String, String> secrets, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        if (args[0].equals("-genkeypair")) {
            // SANs so that LDAPS' and HTTPS' host name checks pass for localhost. RSA: slapd's
            // GnuTLS refused the PKCS#8 EC key Java writes ("ASN1 parser: Element was not found").
            command.addAll(List.of(
                    "-storetype",
                    "PKCS12",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-validity",
                    "30",
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1"));
        }
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().putAll(secrets);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("keytool ended").isTrue();
        assertThat(p.exitValue()).as("keytool " + args[0] + ":\n" + out).isZero();
    }
}
