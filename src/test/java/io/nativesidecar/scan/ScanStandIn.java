package io.nativesidecar.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nativesidecar.certificates.CertificateAuthority;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An API server stand-in holding a cluster in memory: {@code /version}, and lists of every resource
 * scan reads, cluster-wide and per namespace, paged as the API server pages them ({@code limit},
 * {@code continue}, a continue token in the list's metadata while more remain), plus GET of one
 * namespace. Every request is recorded, so a test can say what was asked (and that nothing was written).
 * Plain HTTP, or HTTPS with a certificate from its own CA that {@link #kubeconfig} hands to the client as a
 * real kubeconfig does.
 */
final class ScanStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Resource path segments by kind, and whether they are namespaced. */
    private static final Map<String, String[]> PATHS = Map.ofEntries(
            Map.entry("Node", new String[] {"/api/v1", "nodes", "false"}),
            Map.entry("Namespace", new String[] {"/api/v1", "namespaces", "false"}),
            Map.entry("Pod", new String[] {"/api/v1", "pods", "true"}),
            Map.entry("ReplicationController", new String[] {"/api/v1", "replicationcontrollers", "true"}),
            Map.entry("Deployment", new String[] {"/apis/apps/v1", "deployments", "true"}),
            Map.entry("StatefulSet", new String[] {"/apis/apps/v1", "statefulsets", "true"}),
            Map.entry("DaemonSet", new String[] {"/apis/apps/v1", "daemonsets", "true"}),
            Map.entry("ReplicaSet", new String[] {"/apis/apps/v1", "replicasets", "true"}),
            Map.entry("Job", new String[] {"/apis/batch/v1", "jobs", "true"}),
            Map.entry("CronJob", new String[] {"/apis/batch/v1", "cronjobs", "true"}),
            Map.entry("MutatingWebhookConfiguration",
                    new String[] {"/apis/admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", "false"}));

    private static final String NAME_PLACEHOLDER = "@@name@@";

    /** One listed object: its JSON, its namespace, and for copies the name that replaces the placeholder. */
    private record Stored(byte[] json, String namespace, String name) {
    }

    private final HttpServer server;
    private final CertificateAuthority.Material certificates;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final String version;
    private final Map<String, List<Stored>> objects = new HashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    ScanStandIn(String version) throws IOException {
        this(version, false);
    }

    ScanStandIn(String version, boolean https) throws IOException {
        this.version = version;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (https) {
            certificates = CertificateAuthority.create("scan-stand-in-ca", List.of("127.0.0.1", "localhost"),
                    Duration.ofDays(1), Duration.ofDays(1));
            HttpsServer secure = HttpsServer.create(loopback, 0);
            secure.setHttpsConfigurator(new HttpsConfigurator(sslContext(certificates)));
            server = secure;
        } else {
            certificates = null;
            server = HttpServer.create(loopback, 0);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return (certificates != null ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * A kubeconfig whose current context is {@code current}: context {@code stand-in} is this server (trusting its CA
     * when it serves HTTPS), context {@code unreachable} a port nothing listens on.
     */
    Path kubeconfig(Path directory, String current) throws IOException {
        String authority = certificates == null ? "" : "\n    certificate-authority-data: "
                + Base64.getEncoder().encodeToString(certificates.caCertificate().getBytes(StandardCharsets.US_ASCII));
        return Files.writeString(directory.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: stand-in
                  cluster:
                    server: %s%s
                - name: unreachable
                  cluster:
                    server: https://127.0.0.1:1
                contexts:
                - name: stand-in
                  context:
                    cluster: stand-in
                    user: reader
                - name: unreachable
                  context:
                    cluster: unreachable
                    user: reader
                current-context: %s
                users:
                - name: reader
                  user:
                    token: stand-in
                """.formatted(url(), authority, current));
    }

    private static SSLContext sslContext(CertificateAuthority.Material material) throws IOException {
        try {
            String body = material.key().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            Certificate serving = x509.generateCertificate(new ByteArrayInputStream(material.certificate().getBytes(StandardCharsets.US_ASCII)));
            Certificate ca = x509.generateCertificate(new ByteArrayInputStream(material.caCertificate().getBytes(StandardCharsets.US_ASCII)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("serving", key, new char[0], new Certificate[] {serving, ca});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the stand-in's TLS", e);
        }
    }

    /** Every request as {@code METHOD path?query}, in order. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Adds objects; each is stored as its JSON, without kind and apiVersion, as list items come. */
    void add(String kind, HasMetadata... items) {
        for (HasMetadata item : items) {
            objects.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Stored(listItem(item), item.getMetadata().getNamespace(), null));
        }
    }

    /**
     * Adds {@code count} copies of {@code item} named {@code <its name>-<i>}, sharing one stored JSON: a
     * cluster of 50,000 pods then costs the stand-in a few MiB, not the scan's heap.
     */
    void addCopies(String kind, HasMetadata item, int count) {
        String name = item.getMetadata().getName();
        item.getMetadata().setName(NAME_PLACEHOLDER);
        byte[] json = listItem(item);
        item.getMetadata().setName(name);
        List<Stored> stored = objects.computeIfAbsent(kind, k -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            stored.add(new Stored(json, item.getMetadata().getNamespace(), name + "-" + i));
        }
    }

    private static byte[] listItem(HasMetadata item) {
        ObjectNode json = JSON.valueToTree(item);
        json.remove("kind");
        json.remove("apiVersion");
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, status(405, "MethodNotAllowed"));
                return;
            }
            if (path.equals("/version")) {
                String minor = version.replaceAll("^v1\\.(\\d+).*$", "$1");
                send(exchange, 200, "{\"major\":\"1\",\"minor\":\"" + minor + "\",\"gitVersion\":\"" + version + "\"}");
                return;
            }
            Map<String, String> parameters = parameters(query);
            for (Map.Entry<String, String[]> kind : PATHS.entrySet()) {
                String[] p = kind.getValue();
                String all = p[0] + "/" + p[1];
                if (path.equals(all)) {
                    page(exchange, kind.getKey(), null, parameters);
                    return;
                }
                if (p[2].equals("true") && path.startsWith("/api/v1/namespaces/") && p[0].equals("/api/v1")
                        || p[2].equals("true") && path.startsWith(p[0] + "/namespaces/")) {
                    String[] parts = path.substring((p[0] + "/namespaces/").length()).split("/");
                    if (parts.length == 2 && parts[1].equals(p[1])) {
                        page(exchange, kind.getKey(), parts[0], parameters);
                        return;
                    }
                }
            }
            if (path.startsWith("/api/v1/namespaces/") && path.split("/").length == 5) {
                String name = path.substring("/api/v1/namespaces/".length());
                for (Stored namespace : objects.getOrDefault("Namespace", List.of())) {
                    if (JSON.readTree(namespace.json()).at("/metadata/name").asText().equals(name)) {
                        send(exchange, 200, text(namespace));
                        return;
                    }
                }
            }
            send(exchange, 404, status(404, "NotFound"));
        }
    }

    /** A list page, streamed item by item (chunked): an unpaged list of 50,000 pods costs the stand-in no memory. */
    private void page(HttpExchange exchange, String kind, String namespace, Map<String, String> parameters) throws IOException {
        List<Stored> selected = new ArrayList<>();
        for (Stored stored : objects.getOrDefault(kind, List.of())) {
            if (namespace == null || namespace.equals(stored.namespace())) {
                selected.add(stored);
            }
        }
        int from = parameters.containsKey("continue") ? Integer.parseInt(parameters.get("continue")) : 0;
        int limit = parameters.containsKey("limit") ? Integer.parseInt(parameters.get("limit")) : Integer.MAX_VALUE;
        int to = (int) Math.min(selected.size(), (long) from + limit);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = new java.io.BufferedOutputStream(exchange.getResponseBody(), 1 << 16)) {
            StringBuilder head = new StringBuilder("{\"kind\":\"").append(kind).append("List\",\"apiVersion\":\"v1\",\"metadata\":{");
            if (to < selected.size()) {
                head.append("\"continue\":\"").append(to).append("\",\"remainingItemCount\":").append(selected.size() - to);
            }
            out.write(head.append("},\"items\":[").toString().getBytes(StandardCharsets.UTF_8));
            for (int i = from; i < to; i++) {
                if (i > from) {
                    out.write(',');
                }
                out.write(text(selected.get(i)).getBytes(StandardCharsets.UTF_8));
            }
            out.write("]}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String text(Stored stored) {
        String json = new String(stored.json(), StandardCharsets.UTF_8);
        return stored.name() == null ? json : json.replace(NAME_PLACEHOLDER, stored.name());
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return parameters;
    }

    private static String status(int code, String reason) {
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                .put("reason", reason).put("code", code);
        return status.toString();
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

}
