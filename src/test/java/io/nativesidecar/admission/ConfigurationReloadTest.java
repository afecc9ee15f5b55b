package io.nativesidecar.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.nativesidecar.cli.ConvertCommand;
import io.nativesidecar.testing.ConversionInvariants;
import io.nativesidecar.testing.ProcessTempDirectory;
import io.nativesidecar.testing.Reviews;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's configuration file, mounted as a ConfigMap mounts it (a {@code ..data} symlink that
 * the kubelet swaps): the server converts with it, as {@code convert --config} does; a changed file is
 * used without a restart; a bad change is counted and the last good configuration stays in force.
 */
@QuarkusTest
@TestProfile(ConfigurationReloadTest.MountedConfigMap.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigurationReloadTest {

    static final Path DIR = ProcessTempDirectory.create("configmap");
    static final Path FILE = DIR.resolve("config.yaml");

    private static final String POD = """
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "orders", "namespace": "shop"},
             "spec": {"containers": [
               {"name": "orders", "image": "ghcr.io/example/orders:2.3.1"},
               {"name": "mesh-agent", "image": "registry.example.com/platform/mesh-agent:4.2",
                "readinessProbe": {"httpGet": {"path": "/ready", "port": 9901}, "timeoutSeconds": 2}}]}}
            """;

    /** A platform team's own sidecar, recognised by image, started before the init containers. */
    static String profile(int failureThreshold) {
        return """
                apiVersion: nativesidecar.io/v1alpha1
                kind: Configuration
                profiles:
                - name: mesh-agent
                  source: the platform team's runbook
                  match:
                    images: ["*/platform/mesh-agent"]
                  placement: before-init
                  startupProbe:
                    periodSeconds: 2
                    failureThreshold: %d
                  preStop:
                    exec:
                      command: [mesh-agent, drain]
                """.formatted(failureThreshold);
    }

    public static class MountedConfigMap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            mount(profile(30));
            return Map.of("nativesidecar.config", FILE.toString(), "nativesidecar.config-reload-period", "200ms");
        }
    }

    @TestHTTPResource(value = "/mutate", tls = true)
    URL mutate;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    @Order(1)
    void theWebhookConvertsWithTheFileAsTheCliDoes() throws Exception {
        JsonNode patched = convertedByTheWebhook();
        JsonNode agent = patched.path("spec").path("initContainers").get(0);
        assertThat(agent.path("name").asText()).isEqualTo("mesh-agent");
        assertThat(agent.path("startupProbe").path("failureThreshold").asInt()).isEqualTo(30);
        assertThat(agent.path("lifecycle").path("preStop").path("exec").path("command").get(1).asText()).isEqualTo("drain");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = ConvertCommand.run(new String[] {"--config", FILE.toString(), "-o", "json"},
                new ByteArrayInputStream(POD.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true));
        assertThat(exit).isZero();
        JsonNode cli = ConversionInvariants.JSON.readTree(stdout.toByteArray());
        assertThat((Object) without(patched, "metadata")).isEqualTo(without(cli, "metadata"));
        assertThat(patched.path("metadata").path("annotations")).isEqualTo(cli.path("metadata").path("annotations"));
    }

    @Test
    @Order(2)
    void aChangedFileIsUsedWithoutARestart() throws Exception {
        double reloads = metric("nativesidecar_config_reloads_total");
        mount(profile(45));
        await(pod -> pod.path("spec").path("initContainers").get(0).path("startupProbe").path("failureThreshold").asInt() == 45);
        assertThat(metric("nativesidecar_config_reloads_total")).isEqualTo(reloads + 1);
    }

    @Test
    @Order(3)
    void aBadChangeIsCountedAndTheLastGoodConfigurationStays() throws Exception {
        double failures = metric("nativesidecar_config_reload_failures_total");
        mount(profile(45).replace("periodSeconds: 2", "periodSecond: 2"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (metric("nativesidecar_config_reload_failures_total") == failures && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(metric("nativesidecar_config_reload_failures_total")).isEqualTo(failures + 1);
        // An empty profile entry once escaped as a NullPointerException, which would have stopped every later check.
        mount("apiVersion: nativesidecar.io/v1alpha1\nkind: Configuration\nprofiles:\n- ~\n");
        deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (metric("nativesidecar_config_reload_failures_total") == failures + 1 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(metric("nativesidecar_config_reload_failures_total")).isEqualTo(failures + 2);
        assertThat(convertedByTheWebhook().path("spec").path("initContainers").get(0).path("startupProbe")
                .path("failureThreshold").asInt()).isEqualTo(45);
        given().get(ready).then().statusCode(200);

        mount(profile(60));
        await(pod -> pod.path("spec").path("initContainers").get(0).path("startupProbe").path("failureThreshold").asInt() == 60);
    }

    private void await(Predicate<JsonNode> converted) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode pod = convertedByTheWebhook();
        while (!converted.test(pod) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            pod = convertedByTheWebhook();
        }
        assertThat(converted.test(pod)).as("converted with the changed file: %s", pod).isTrue();
    }

    private JsonNode convertedByTheWebhook() throws Exception {
        JsonNode pod = ConversionInvariants.JSON.readTree(POD);
        byte[] body = ConversionInvariants.JSON.writeValueAsBytes(Reviews.podCreate("reload", pod));
        JsonNode answer = ConversionInvariants.JSON.readTree(given().relaxedHTTPSValidation().contentType("application/json")
                .body(body).post(mutate).then().statusCode(200).extract().asByteArray());
        return Reviews.patched(pod, answer);
    }

    private double metric(String series) {
        return ManagementEndpointsTest.metricValue(given().get(metrics).then().statusCode(200).extract().asString(), series);
    }

    private static JsonNode without(JsonNode object, String field) {
        JsonNode copy = object.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(field);
        return copy;
    }

    /** What the kubelet does on a ConfigMap update: a new timestamped directory, then an atomic swap of ..data. */
    static void mount(String content) {
        try {
            Path version = Files.createTempDirectory(DIR, "..version-");
            Files.writeString(version.resolve("config.yaml"), content);
            Path link = DIR.resolve("..data_tmp");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, version.getFileName());
            Files.move(link, DIR.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (!Files.exists(FILE, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(FILE, Path.of("..data", "config.yaml"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
