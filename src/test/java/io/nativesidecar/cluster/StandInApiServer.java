package io.nativesidecar.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A plain stand-in for an API server on loopback: {@code /version} and {@code /api/v1/nodes} (list,
 * and a watch that stays open), 404 elsewhere. Enough to show what the packaged server does for a
 * given API server and kubelet versions.
 */
final class StandInApiServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);

    /** {@code nodes}: pairs of node name and kubelet version; labels {@code pool=<name prefix>}. */
    StandInApiServer(String apiServerVersion, List<String[]> nodes) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
                if (path.equals("/version")) {
                    String minor = apiServerVersion.replaceAll("^v1\\.(\\d+).*$", "$1");
                    send(exchange, 200, "{\"major\":\"1\",\"minor\":\"" + minor + "\",\"gitVersion\":\"" + apiServerVersion + "\"}");
                } else if (path.equals("/api/v1/nodes") && query.contains("watch=true")) {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().flush();
                    closing.await(60, TimeUnit.SECONDS);
                } else if (path.equals("/api/v1/nodes")) {
                    send(exchange, 200, nodeList(nodes));
                } else {
                    send(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** A kubeconfig that points at this server. */
    Path kubeconfig(Path directory) throws IOException {
        return Files.writeString(directory.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: stand-in
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: stand-in
                  context:
                    cluster: stand-in
                    user: stand-in
                current-context: stand-in
                users:
                - name: stand-in
                  user:
                    token: stand-in
                """.formatted(server.getAddress().getPort()));
    }

    private static String nodeList(List<String[]> nodes) {
        StringBuilder items = new StringBuilder();
        for (String[] node : nodes) {
            if (items.length() > 0) {
                items.append(',');
            }
            String pool = node[0].replaceAll("-\\d+$", "");
            items.append("""
                    {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","resourceVersion":"1","labels":{"pool":"%s"}},
                     "status":{"nodeInfo":{"kubeletVersion":"%s"},"conditions":[{"type":"Ready","status":"True"}]}}"""
                    .formatted(node[0], pool, node[1]));
        }
        return "{\"apiVersion\":\"v1\",\"kind\":\"NodeList\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[" + items + "]}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
