package io.nativesidecar.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.nativesidecar.testing.ConversionInvariants;
import io.nativesidecar.testing.RawHttps;
import io.nativesidecar.testing.Reviews;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged server as users start it, with no configuration and no cluster: it generates its
 * certificate (and says so), answers reviews over HTTPS, reports health and metrics over HTTP, and
 * on SIGTERM stops being ready before it stops serving.
 */
class ServerJarIT {

    private static final Path JAR = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"), "quarkus-run.jar");
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path files;
    private static Process server;
    private static Path log;
    private static String metricsAfterFirstReview;
    private static int httpsPort;
    private static int managementPort;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        httpsPort = freePort();
        managementPort = freePort();
        log = files.resolve("server.log");
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.ssl-port=" + httpsPort, "-Dquarkus.management.port=" + managementPort,
                "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        client = HttpClient.newBuilder().sslContext(RawHttps.trustingEverything("TLS")).connectTimeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plusSeconds(60);
        while (status(management("/q/health/ready")) != 200) {
            assertThat(server.isAlive()).as("server exited: " + Files.readString(log)).isTrue();
            assertThat(Instant.now()).as("server ready in time").isBefore(deadline);
            Thread.sleep(100);
        }
        // One review of our own, before any test's: the metrics must count it alone, not the warm-up's 22.
        JsonNode pod = ConversionInvariants.pods(Path.of("src/test/resources/istio-vectors/old-version/hello.input.yaml")).get(0);
        assertThat(post(ConversionInvariants.JSON.writeValueAsBytes(Reviews.podCreate("jar-first", pod))).statusCode()).isEqualTo(200);
        metricsAfterFirstReview = client.send(HttpRequest.newBuilder(management("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Ready means warmed up, over HTTPS too; and the warm-up's reviews count in no metric. */
    @Test
    void readyAfterTheWarmUpWhichCountsNowhere() throws Exception {
        assertThat(Files.readString(log)).containsPattern("warm-up: 20 sample reviews \\(20 converted\\) in \\d+ ms, and 2 over HTTPS");
        assertThat(metricsAfterFirstReview).contains("nativesidecar_admissions_total{outcome=\"converted\"} 1.0")
                .doesNotContainPattern("nativesidecar_admissions_total\\{outcome=\"(?!converted\")[^\"]*\"\\} [1-9]");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void convertsOverHttpsWithItsOwnCertificate() throws Exception {
        assertThat(Files.readString(log)).contains("self-signed certificate");
        JsonNode pod = ConversionInvariants.pods(Path.of("src/test/resources/istio-vectors/old-version/hello.input.yaml")).get(0);
        HttpResponse<byte[]> response = post(ConversionInvariants.JSON.writeValueAsBytes(Reviews.podCreate("jar-1", pod)));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = ConversionInvariants.JSON.readTree(response.body());
        assertThat(answer.path("response").path("uid").asText()).isEqualTo("jar-1");
        assertThat(Reviews.patched(pod, answer).path("spec").path("initContainers").get(1).path("restartPolicy").asText())
                .isEqualTo("Always");
        assertThat(post("nonsense".getBytes()).statusCode()).isEqualTo(400);
    }

    @Test
    void managementPortServesMetricsOverPlainHttp() throws Exception {
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(management("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("nativesidecar_admissions_total");
        assertThat(status(management("/q/health/live"))).isEqualTo(200);
    }

    @Test
    void sigtermDropsReadinessBeforeExiting() throws Exception {
        // Runs last by name order is not guaranteed, so it uses its own server.
        int https = freePort();
        int management = freePort();
        Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.ssl-port=" + https, "-Dquarkus.management.port=" + management, "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI ready = URI.create("http://localhost:" + management + "/q/health/ready");
            Instant deadline = Instant.now().plusSeconds(60);
            while (status(ready) != 200 && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            second.destroy(); // SIGTERM
            boolean sawNotReady = false;
            while (second.isAlive()) {
                int status = status(ready);
                if (status == 503) {
                    sawNotReady = true;
                    // Still serving reviews while not ready: in-flight and late requests complete.
                    HttpResponse<byte[]> late = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/mutate"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"request\":{\"uid\":\"late\"}}")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(late.statusCode()).isEqualTo(200);
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(sawNotReady).as("readiness reported 503 during shutdown").isTrue();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isIn(0, 143);
        } finally {
            second.destroyForcibly();
        }
    }

    private static HttpResponse<byte[]> post(byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/mutate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static URI management(String path) {
        return URI.create("http://localhost:" + managementPort + path);
    }

    private static int status(URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException notYet) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
