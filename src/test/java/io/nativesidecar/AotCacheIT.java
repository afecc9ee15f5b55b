package io.nativesidecar;

import io.nativesidecar.testing.RawHttps;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AOT caches the Maven profile {@code aot} trains (as the image's build does) are usable: the server and
 * convert start with {@code -XX:AOTMode=on}, which makes the JVM refuse to start when a cache does not match it,
 * and then do their work. Without the profile (no caches, JDK 17) there is nothing to check; with it, a missing
 * cache is a failure, not a skip.
 */
class AotCacheIT {

    private static final Path APP = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"));
    private static final boolean EXPECTED = Boolean.getBoolean("aot.expected");
    private static final Path SAMPLE = Path.of(System.getProperty("examples.dir", "examples"), "job-istio.yaml");

    private static List<String> java(String cache) {
        assumeTrue(EXPECTED || Files.exists(APP.resolve(cache)), "no AOT cache: built without the Maven profile aot");
        assertThat(APP.resolve(cache)).as("trained by the profile aot").exists();
        assertThat(Runtime.version().feature()).as("the JDK that trained the cache").isGreaterThanOrEqualTo(25);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:AOTMode=on", "-XX:AOTCache=" + APP.resolve(cache),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        command.addAll(List.of(System.getProperty("aot.jvm.flags", "").split(" ")));
        command.removeIf(String::isEmpty);
        return command;
    }

    @Test
    void convertRunsWithTheCliCache(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        List<String> command = java("cli.aot");
        // As the image's entrypoint runs convert: C1 only (see src/main/docker/Dockerfile.jvm).
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(List.of("-jar", APP.resolve("quarkus-run.jar").toString(), "convert", "-f", SAMPLE.toString()));
        Path out = dir.resolve("convert.yaml");
        Path err = dir.resolve("convert.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(out)).contains("restartPolicy: Always");
    }

    @Test
    void theServerRunsWithTheServerCache(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        List<String> command = java("server.aot");
        int https = freePort();
        int management = freePort();
        Path classes = dir.resolve("classes.log");
        command.add("-Xlog:class+load=info:file=" + classes);
        command.addAll(List.of("-Dquarkus.http.ssl-port=" + https, "-Dquarkus.management.port=" + management,
                "-Dnativesidecar.cluster.access=none", "-jar", APP.resolve("quarkus-run.jar").toString()));
        Path log = dir.resolve("server.log");
        Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(RawHttps.trustingEverything("TLS"))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Instant deadline = Instant.now().plusSeconds(60);
            while (status(client, URI.create("http://127.0.0.1:" + management + "/q/health/ready")) != 200) {
                assertThat(server.isAlive()).as("server exited: " + Files.readString(log)).isTrue();
                assertThat(Instant.now()).as("ready in time").isBefore(deadline);
                Thread.sleep(100);
            }
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/mutate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(Path.of("src/main/resources/warm-up/review.json"))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"patch\"");
            // Bouncy Castle's jars are packaged unsigned, so the provider that Netty's first handshake loads is cached.
            assertThat(Files.readString(classes)).contains("org.bouncycastle.jce.provider.BouncyCastleProvider source: shared objects file");
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static int status(HttpClient client, URI uri) throws InterruptedException {
        try {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
