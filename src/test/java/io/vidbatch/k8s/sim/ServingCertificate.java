package io.vidbatch.k8s.sim;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A self-signed serving certificate for 127.0.0.1 and localhost, made at run time by the JDK's
 * keytool (so no key is ever checked in), which is also the CA a kubeconfig tells clients to trust.
 */
final class ServingCertificate {
    private static final String ALIAS = "fake-apiserver";

    private final SSLContext context;
    private final String pem;

    private ServingCertificate(SSLContext context, String pem) {
        this.context = context;
        this.pem = pem;
    }

    private static ServingCertificate shared;

    /**
     * One certificate for every secure server of this JVM: a client (the IT server's coordinator)
     * keeps trusting the CA its kube config named when the tests start another simulated cluster.
     */
    static synchronized ServingCertificate ofThisJvm() throws IOException {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    private static ServingCertificate generate() throws IOException {
        Path dir = Files.createTempDirectory("fake-apiserver-tls");
        Path store = dir.resolve("serving.p12");
        char[] password = UUID.randomUUID().toString().toCharArray();
        try {
            keytool(List.of(
                    "-genkeypair",
                    "-alias",
                    ALIAS,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=fake-apiserver",
                    "-ext",
                    "SAN=IP:127.0.0.1,DNS:localhost",
                    "-validity",
                    "7",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    store.toString(),
                    "-storepass",
                    new String(password),
                    "-keypass",
                    new String(password)));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return new ServingCertificate(context, pem(keys.getCertificate(ALIAS)));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the generated serving certificate", e);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    SSLContext sslContext() {
        return context;
    }

    /** The certificate in PEM, as a kubeconfig's certificate-authority-data carries it (base64 of this). */
    String pem() {
        return pem;
    }

    private static String pem(Certificate cert) throws GeneralSecurityException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded());
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }

    private static void keytool(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
