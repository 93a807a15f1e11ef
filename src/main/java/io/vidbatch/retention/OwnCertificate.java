package io.vidbatch.retention;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Trusts a server only if it presents one of the certificates of this server's own key entries.
 * The loopback call goes to localhost, which a certificate from a Secret (cert-manager's, an
 * operator's) does not name; pinning the exact certificate is stronger than checking a name, so
 * the name is not checked. An extended trust manager, so the JDK adds no host name check of its own.
 */
final class OwnCertificate extends X509ExtendedTrustManager {

    private final List<X509Certificate> own;

    private OwnCertificate(List<X509Certificate> own) {
        this.own = own;
    }

    /** The leaf certificates of the key entries of {@code keystore}; fails if there is none. */
    static OwnCertificate of(KeyStore keystore) throws KeyStoreException {
        List<X509Certificate> own = new ArrayList<>();
        for (String alias : Collections.list(keystore.aliases())) {
            Certificate c = keystore.getCertificate(alias);
            if (keystore.isKeyEntry(alias) && c instanceof X509Certificate x) {
                own.add(x);
            }
        }
        if (own.isEmpty()) {
            throw new KeyStoreException("it holds no key entry with a certificate");
        }
        return new OwnCertificate(List.copyOf(own));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0 || !own.contains(chain[0])) {
            throw new CertificateException("the server on the loopback port does not hold this server's key");
        }
        chain[0].checkValidity();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("only used as a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
