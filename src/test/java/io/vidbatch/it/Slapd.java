package io.vidbatch.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A throwaway OpenLDAP server for the tests: Debian's slapd, on loopback, with a configuration
 * (cn=config) and data made by slapadd in a folder of its own, from LDIF written here. It runs in
 * the foreground as a child of the test JVM (never the machine's slapd service, whose port and
 * files it does not touch) and is stopped by {@link #close}, or with the JVM.
 *
 * <p>Access is what a real directory grants: a password may only be used to bind, and only a
 * bound user reads entries, so the server under test must bind with its bind DN to find anyone.
 */
final class Slapd implements AutoCloseable {

    private static final Path SLAPD = Path.of(System.getProperty("vidbatch.it.slapd", "/usr/sbin/slapd"));
    private static final Path SLAPADD = Path.of(System.getProperty("vidbatch.it.slapadd", "/usr/sbin/slapadd"));
    private static final Path LDAPSEARCH = Path.of(System.getProperty("vidbatch.it.ldapsearch", "/usr/bin/ldapsearch"));
    /** Where Debian's package puts slapd's loadable backends and its schema files. */
    private static final Path MODULES = Path.of("/usr/lib/ldap");

    private static final Path SCHEMA = Path.of("/etc/ldap/schema");

    /** What the directory holds and how it is reached. */
    record Setup(
            Path dir,
            String suffix,
            String bindDn,
            String bindPassword,
            int port,
            /* 0: no LDAPS */ int ldapsPort,
            /* PEM files for LDAPS, or null */ Path certificate,
            Path key,
            String entries) {}

    private final Setup setup;
    private final Process process;
    private final Thread onExit;

    private Slapd(Setup setup, Process process) {
        this.setup = setup;
        this.process = process;
        // A test JVM ended by a timeout still takes its slapd with it.
        this.onExit = new Thread(process::destroy, "slapd stop");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * Makes the configuration and the database afresh in {@code setup.dir()}, starts slapd and
     * returns once it answers a search bound as the bind DN (on each of its URLs).
     */
    static Slapd start(Setup setup) throws Exception {
        Path dir = setup.dir().toAbsolutePath();
        deleteTree(dir);
        Path config = Files.createDirectories(dir.resolve("slapd.d"));
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("config.ldif"), configLdif(setup, dir));
        Files.writeString(dir.resolve("data.ldif"), dataLdif(setup));
        run(List.of(
                SLAPADD.toString(),
                "-n",
                "0",
                "-F",
                config.toString(),
                "-l",
                dir.resolve("config.ldif").toString()));
        run(List.of(
                SLAPADD.toString(),
                "-n",
                "1",
                "-F",
                config.toString(),
                "-l",
                dir.resolve("data.ldif").toString()));
        // ldapsearch reads the password from a file (-y), not from its arguments, which ps shows.
        Path secret = dir.resolve("bind-password");
        Files.writeString(secret, setup.bindPassword());

        List<String> urls = new ArrayList<>(List.of("ldap://127.0.0.1:" + setup.port() + "/"));
        if (setup.ldapsPort() != 0) {
            // 127.0.0.1, not localhost: libldap checks the certificate against the name localhost
            // resolves back to (this machine's host name), which a test certificate does not carry.
            urls.add("ldaps://127.0.0.1:" + setup.ldapsPort() + "/");
        }
        // -d: stays in the foreground, so it is this JVM's child and its exit is seen; level 256
        // (stats) logs each connection and operation, and the errors that stop it.
        Process p = new ProcessBuilder(
                        SLAPD.toString(), "-d", "256", "-h", String.join(" ", urls), "-F", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("slapd.log").toFile())
                .start();
        Slapd slapd = new Slapd(setup, p);
        try {
            for (String url : urls) {
                Waits.await("slapd answering on " + url, Duration.ofSeconds(20), Duration.ofMillis(100))
                        .until(() -> {
                            assertThat(p.isAlive())
                                    .as("slapd exited (%s); its log:\n%s", url, log(dir))
                                    .isTrue();
                            return slapd.search(url, secret) == 0;
                        });
            }
        } catch (RuntimeException | Error e) {
            slapd.close();
            throw e;
        }
        return slapd;
    }

    /** ldapsearch of the suffix entry, bound as the bind DN; its exit status (0: found). */
    private int search(String url, Path secret) throws Exception {
        ProcessBuilder b = new ProcessBuilder(
                        LDAPSEARCH.toString(),
                        "-x",
                        "-LLL",
                        "-o",
                        "nettimeout=2",
                        "-H",
                        url,
                        "-D",
                        setup.bindDn(),
                        "-y",
                        secret.toString(),
                        "-b",
                        setup.suffix(),
                        "-s",
                        "base",
                        "dn")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (setup.certificate() != null) {
            // The certificate slapd presents is its own CA: trust it, as the server under test does.
            b.environment().put("LDAPTLS_CACERT", setup.certificate().toString());
        }
        Process p = b.start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("ldapsearch ended").isTrue();
        return p.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: slapd closes its database and exits
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; slapd is gone
        }
    }

    private static String configLdif(Setup s, Path dir) {
        StringBuilder b = new StringBuilder();
        b.append("dn: cn=config\nobjectClass: olcGlobal\ncn: config\n");
        b.append("olcPidFile: ").append(dir.resolve("slapd.pid")).append('\n');
        if (s.certificate() != null) {
            b.append("olcTLSCertificateFile: ").append(s.certificate()).append('\n');
            b.append("olcTLSCertificateKeyFile: ").append(s.key()).append('\n');
        }
        b.append('\n');
        b.append("dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n");
        b.append("olcModulePath: ").append(MODULES).append("\nolcModuleLoad: back_mdb\n\n");
        b.append("dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n");
        // inetOrgPerson for users; groupOfNames is in core.
        for (String schema : List.of("core", "cosine", "inetorgperson")) {
            b.append("include: file://")
                    .append(SCHEMA.resolve(schema + ".ldif"))
                    .append("\n\n");
        }
        b.append("dn: olcDatabase={-1}frontend,cn=config\nobjectClass: olcDatabaseConfig\n");
        b.append("objectClass: olcFrontendConfig\nolcDatabase: {-1}frontend\n\n");
        b.append("dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\n");
        b.append("olcDatabase: {0}config\nolcAccess: {0}to * by * none\n\n");
        b.append("dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n");
        b.append("olcDatabase: {1}mdb\n");
        b.append("olcDbDirectory: ").append(dir.resolve("data")).append('\n');
        b.append("olcSuffix: ").append(s.suffix()).append('\n');
        b.append("olcAccess: {0}to attrs=userPassword by anonymous auth by * none\n");
        b.append("olcAccess: {1}to * by users read by * none\n");
        return b.toString();
    }

    private static String dataLdif(Setup s) {
        String dc = s.suffix().replaceAll("^dc=([^,]+).*", "$1");
        return "dn: " + s.suffix() + "\nobjectClass: dcObject\nobjectClass: organization\ndc: " + dc
                + "\no: " + dc + "\n\n"
                + "dn: " + s.bindDn() + "\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
                + "cn: " + s.bindDn().replaceAll("^cn=([^,]+).*", "$1") + "\nuserPassword: "
                + ssha(s.bindPassword()) + "\n\n" + s.entries();
    }

    /** An organizational unit under {@code parent}. */
    static String unit(String dn) {
        return "dn: " + dn + "\nobjectClass: organizationalUnit\nou: " + dn.replaceAll("^ou=([^,]+).*", "$1") + "\n\n";
    }

    /** A person who signs in with uid and password; a null password makes one who cannot sign in. */
    static String person(String dn, String uid, String password) {
        return "dn: " + dn + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: " + uid + "\nsn: " + uid + "\n"
                + (password == null ? "" : "userPassword: " + ssha(password) + "\n") + "\n";
    }

    /** A groupOfNames with these member DNs (at least one: the schema demands it). */
    static String group(String dn, String... members) {
        StringBuilder b = new StringBuilder(
                "dn: " + dn + "\nobjectClass: groupOfNames\ncn: " + dn.replaceAll("^cn=([^,]+).*", "$1") + "\n");
        for (String m : members) {
            b.append("member: ").append(m).append('\n');
        }
        return b.append('\n').toString();
    }

    /** {SSHA}: salted SHA-1, as slappasswd makes by default; no clear password in the database. */
    static String ssha(String password) {
        try {
            byte[] salt = new byte[8];
            new SecureRandom().nextBytes(salt);
            MessageDigest sha = MessageDigest.getInstance("SHA-1");
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            sha.update(salt);
            byte[] digest = sha.digest();
            byte[] both = new byte[digest.length + salt.length];
            System.arraycopy(digest, 0, both, 0, digest.length);
            System.arraycopy(salt, 0, both, digest.length, salt.length);
            return "{SSHA}" + Base64.getEncoder().encodeToString(both);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("slapd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).as(command.get(0) + " ended").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
