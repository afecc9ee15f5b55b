package io.nativesidecar.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nativesidecar.testing.ConversionInvariants;
import io.nativesidecar.testing.RawHttps;
import io.nativesidecar.testing.Reviews;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged server with KUBECONFIG pointing at a stand-in API server: it converts only when the
 * API server and every kubelet the pod may use are 1.29+, warns otherwise, and picks the preStop
 * sleep form by version.
 */
class ClusterAwareServerIT {

    private static final Path JAR = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"), "quarkus-run.jar");
    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":{
              "nativesidecar.io/sidecars":"logs","nativesidecar.io/pre-stop.logs":"sleep:10"}},
             "spec":{"containers":[{"name":"app","image":"app"},{"name":"logs","image":"fluent-bit"}]}}""";

    @TempDir
    Path directory;

    @Test
    void api131WithCurrentKubeletsConvertsWithTheSleepAction() throws Exception {
        JsonNode response = review("v1.31.2", List.<String[]>of(new String[] {"new-1", "v1.31.2"}), Map.of());
        assertThat(preStop(response).path("sleep").path("seconds").asInt()).isEqualTo(10);
    }

    @Test
    void api129ConvertsWithAnExecSleep() throws Exception {
        JsonNode response = review("v1.29.8", List.<String[]>of(new String[] {"new-1", "v1.29.8"}), Map.of());
        assertThat(preStop(response).path("exec").path("command").toString()).isEqualTo("[\"sleep\",\"10\"]");
    }

    @Test
    void api128LeavesThePodAloneAndSaysWhy() throws Exception {
        JsonNode response = review("v1.28.15", List.<String[]>of(new String[] {"new-1", "v1.28.15"}), Map.of());
        assertThat(response.path("response").has("patch")).isFalse();
        assertThat(response.path("response").path("warnings").get(0).asText()).contains("API server v1.28.15");
    }

    @Test
    void aSkewedKubeletBlocksConversionUnlessTheNodeSelectorAvoidsIt() throws Exception {
        List<String[]> nodes = List.of(new String[] {"new-1", "v1.30.4"}, new String[] {"old-1", "v1.28.9"});
        try (Server server = start("v1.30.4", nodes)) {
            JsonNode anywhere = server.review(Map.of());
            assertThat(anywhere.path("response").has("patch")).isFalse();
            assertThat(anywhere.path("response").path("warnings").get(0).asText()).contains("kubelet v1.28.9 on node old-1");

            JsonNode avoiding = server.review(Map.of("pool", "new"));
            assertThat(avoiding.path("response").has("patch")).isTrue();
        }
    }

    private JsonNode review(String apiServer, List<String[]> nodes, Map<String, String> nodeSelector) throws Exception {
        try (Server server = start(apiServer, nodes)) {
            return server.review(nodeSelector);
        }
    }

    private static JsonNode preStop(JsonNode response) throws Exception {
        JsonNode pod = Reviews.patched(ConversionInvariants.JSON.readTree(POD), response);
        return pod.path("spec").path("initContainers").get(0).path("lifecycle").path("preStop");
    }

    private Server start(String apiServer, List<String[]> nodes) throws Exception {
        StandInApiServer standIn = new StandInApiServer(apiServer, nodes);
        int https = freePort();
        int management = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.ssl-port=" + https, "-Dquarkus.management.port=" + management, "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("server-" + https + ".log").toFile());
        builder.environment().put("KUBECONFIG", standIn.kubeconfig(directory).toString());
        Server server = new Server(standIn, builder.start(), https, management,
                HttpClient.newBuilder().sslContext(RawHttps.trustingEverything("TLS")).build());
        Instant deadline = Instant.now().plusSeconds(60);
        while (server.status("/q/health/ready") != 200) {
            assertThat(server.process.isAlive()).isTrue();
            assertThat(Instant.now()).as("ready with the stand-in API server").isBefore(deadline);
            Thread.sleep(100);
        }
        return server;
    }

    private record Server(StandInApiServer standIn, Process process, int https, int management, HttpClient client)
            implements AutoCloseable {

        JsonNode review(Map<String, String> nodeSelector) throws Exception {
            ObjectNode pod = (ObjectNode) ConversionInvariants.JSON.readTree(POD);
            nodeSelector.forEach((k, v) -> ((ObjectNode) pod.path("spec")).putObject("nodeSelector").put(k, v));
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/mutate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ConversionInvariants.JSON.writeValueAsBytes(Reviews.podCreate("c", pod))))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            return ConversionInvariants.JSON.readTree(response.body());
        }

        int status(String path) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + management + path))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException | InterruptedException notYet) {
                return -1;
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            standIn.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
