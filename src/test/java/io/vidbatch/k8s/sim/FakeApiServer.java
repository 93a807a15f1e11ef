package io.vidbatch.k8s.sim;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.KubeConfig;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Kubernetes API server on 127.0.0.1 for batch/v1 Jobs, Pods (with logs), Nodes and Events, speaking
 * the JSON and watch framing client-java expects, with scripted faults. Nothing runs pods here:
 * {@link SimulatedCluster} adds the controllers and kubelets.
 */
public final class FakeApiServer implements AutoCloseable {
    static {
        // Without TCP_NODELAY, Nagle's algorithm holds back each small watch event and response
        // body for a delayed ACK (~40 ms). Read once, when the JDK's HTTP server first loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final ObjectStore store;
    private final Deletions deletions;
    private final FaultInjector faults = new FaultInjector();
    private final PodAdmission podAdmission = new PodAdmission();
    private final WatchStreamer watches;
    private final LogEndpoint logs;
    private final ApiHandler handler;
    private final HttpServer http;
    /** Null: plain HTTP without authentication. */
    private final ServingCertificate tls;

    private final String token;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-apiserver");
        t.setDaemon(true);
        return t;
    });

    private FakeApiServer(int port, int historyCapacity, String token) throws IOException {
        store = new ObjectStore(historyCapacity);
        deletions = new Deletions(store);
        watches = new WatchStreamer(store);
        logs = new LogEndpoint(store);
        this.token = token;
        handler = new ApiHandler(new Resources(store, deletions, podAdmission), watches, logs, faults, token);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (token == null) {
            tls = null;
            http = HttpServer.create(address, 64);
        } else {
            tls = ServingCertificate.ofThisJvm();
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
            http = https;
        }
        http.createContext("/", handler);
        // Each open watch holds a thread for its whole life.
        http.setExecutor(threads);
        http.start();
    }

    /** Starts on a random loopback port with a history of 10,000 events for watches to resume from. */
    public static FakeApiServer start() throws IOException {
        return new FakeApiServer(0, 10_000, null);
    }

    public static FakeApiServer start(int historyCapacity) throws IOException {
        return new FakeApiServer(0, historyCapacity, null);
    }

    /** On a fixed loopback port, for a server whose kube config was written before the test began. */
    public static FakeApiServer onPort(int port) throws IOException {
        return new FakeApiServer(port, 10_000, null);
    }

    /**
     * HTTPS with a certificate made for this server, and every request (even /version: anonymous
     * auth is off, as on many managed clusters) must carry {@code Authorization: Bearer token},
     * else 401 Unauthorized. {@link #kubeconfig} then names the CA and the token.
     */
    public static FakeApiServer startSecure(String token) throws IOException {
        return onPortSecure(0, token);
    }

    /** {@link #startSecure} on a fixed loopback port (0: any free one). */
    public static FakeApiServer onPortSecure(int port, String token) throws IOException {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("a bearer token is required");
        }
        return new FakeApiServer(port, 10_000, token);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port();
    }

    /** Direct access to the objects, bypassing HTTP (what the simulated cluster uses). */
    public ObjectStore store() {
        return store;
    }

    Deletions deletions() {
        return deletions;
    }

    PodAdmission podAdmission() {
        return podAdmission;
    }

    public void logSource(LogSource source) {
        logs.source(source);
    }

    /**
     * A client for this server with no read timeout, as informers need for long watches. A secure
     * server's client is built from its kubeconfig, so it trusts the CA and sends the token as
     * any kubeconfig-configured client would.
     */
    public ApiClient apiClient() {
        ApiClient client;
        if (tls == null) {
            client = Config.fromUrl(url(), false);
        } else {
            try {
                client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfigYaml())))
                        .build();
            } catch (IOException e) {
                throw new IllegalStateException("the kubeconfig this server wrote does not load", e);
            }
        }
        client.setHttpClient(
                client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
        return client;
    }

    /**
     * Writes a kubeconfig for {@code Config.fromConfig(path)}; returns the path. No auth for a
     * plain server; for a secure one, the CA (certificate-authority-data) and the bearer token.
     */
    public Path kubeconfig(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return Files.writeString(file, kubeconfigYaml());
    }

    private String kubeconfigYaml() {
        String cluster = "    server: " + url();
        if (tls != null) {
            cluster += "\n    certificate-authority-data: "
                    + Base64.getEncoder().encodeToString(tls.pem().getBytes(StandardCharsets.US_ASCII));
        }
        return String.join(
                "\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: sim",
                "  cluster:",
                cluster,
                "contexts:",
                "- name: sim",
                "  context:",
                "    cluster: sim",
                "    user: sim",
                "    namespace: default",
                "current-context: sim",
                "users:",
                "- name: sim",
                token == null ? "  user: {}" : "  user:\n    token: " + token,
                "");
    }

    /**
     * The next {@code times} requests with this method whose path (no query) matches the regex
     * are answered with {@code status} and a Status body instead of being carried out (429 comes
     * with Retry-After: 1; 409 on POST has reason AlreadyExists).
     */
    public void failNext(String method, String pathRegex, int status, int times) {
        faults.add(method, pathRegex, status, times, FaultInjector.When.BEFORE);
    }

    /** Like failNext, but the request is carried out first: the write happened, the client sees an error. */
    public void failNextAfterCommit(String method, String pathRegex, int status, int times) {
        faults.add(method, pathRegex, status, times, FaultInjector.When.AFTER);
    }

    public void clearFaults() {
        faults.clear();
    }

    /**
     * Cuts every open watch connection mid-stream (no terminating chunk). With loseHistory, no
     * resourceVersion issued so far can be resumed from: a re-watch gets 410 and must relist.
     */
    public void dropWatches(boolean loseHistory) {
        store.endWatches(WatchSubscription.End.ABRUPT, loseHistory);
    }

    /** Ends every open watch the orderly way (as a watch timeout does), so clients re-watch from where they were. */
    public void endWatches(boolean loseHistory) {
        store.endWatches(WatchSubscription.End.CLEAN, loseHistory);
    }

    /** How many watches were answered with an ERROR event of code 410, forcing the client to relist. */
    public int expiredWatches() {
        return watches.expired();
    }

    public int openWatches() {
        return store.openWatches();
    }

    /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK (the apiserver: about a minute). */
    public void bookmarkInterval(Duration interval) {
        watches.bookmarkInterval(interval);
    }

    /**
     * From now on, requests are made as the ServiceAccount the manifest's RoleBinding names and
     * authorized against its Role's rules: anything they do not grant is answered 403 Forbidden,
     * as RBAC answers. Paths this server does not serve (/version) stay open, as the
     * system:public-info-viewer ClusterRole keeps them on a real cluster.
     */
    public void enforceRole(Path roleYaml) throws IOException {
        handler.authorizer(new Authorizer(RoleFile.read(roleYaml)));
    }

    /** {@link #enforceRole(Path)} with the Role and its binding applied in {@code namespace} instead of their own. */
    public void enforceRole(Path roleYaml, String namespace) throws IOException {
        handler.authorizer(new Authorizer(RoleFile.read(roleYaml).in(namespace)));
    }

    public List<RecordedRequest> requests() {
        return new ArrayList<>(handler.recorded());
    }

    public void clearRequests() {
        handler.recorded().clear();
    }

    /** Every "verb resource" used so far on a served resource, e.g. "create jobs", "watch pods", "get pods/log". */
    public Set<String> rbacVerbs() {
        Set<String> out = new TreeSet<>();
        for (RecordedRequest r : handler.recorded()) {
            if (ApiPath.parse(r.path()) != null) {
                out.add(r.rbac());
            }
        }
        return out;
    }

    @Override
    public void close() {
        store.endWatches(WatchSubscription.End.CLEAN, false);
        http.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
