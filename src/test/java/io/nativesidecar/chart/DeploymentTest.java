package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static io.nativesidecar.chart.WebhookConfigurationTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's Deployment, Service, ServiceAccount and PodDisruptionBudget as deploy/ ships them
 * (every certificate mode): available through disruptions, probed on the management port, sized, and
 * locked down (the restricted Pod Security Standard and more).
 */
class DeploymentTest {

    static Stream<String> variants() {
        return Stream.concat(DeployManifestsTest.VARIANTS.values().stream(),
                Stream.of("certificates:\n  mode: external\n  secretName: my-tls\n  caBundle: Q0E=\n"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void availability(String values) {
        RenderedChart chart = RenderedChart.withValues(values);
        JsonNode deployment = chart.one("Deployment");
        JsonNode pod = deployment.at("/spec/template");

        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
        JsonNode spread = pod.at("/spec/topologySpreadConstraints");
        assertThat(spread).isNotEmpty();
        assertThat(spread.findValuesAsText("topologyKey")).contains("kubernetes.io/hostname");
        spread.forEach(constraint -> assertThat(
                LabelSelectors.matches(constraint.path("labelSelector"), labels(pod.at("/metadata/labels")))).isTrue());

        JsonNode pdb = chart.one("PodDisruptionBudget");
        assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(LabelSelectors.matches(pdb.at("/spec/selector"), labels(pod.at("/metadata/labels")))).isTrue();
        assertThat(LabelSelectors.matches(deployment.at("/spec/selector"), labels(pod.at("/metadata/labels")))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void probesUseTheManagementPort(String values) {
        JsonNode container = RenderedChart.withValues(values).container();

        assertThat(portNumber(container, "management")).isEqualTo(9000);
        assertThat(portNumber(container, "https")).isEqualTo(8443);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        for (String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
            JsonNode port = container.path(probe).at("/httpGet/port");
            assertThat(port.isInt() ? port.asInt() : portNumber(container, port.asText())).as(probe).isEqualTo(9000);
            assertThat(container.path(probe).at("/httpGet/scheme").asText("HTTP")).as(probe).isEqualTo("HTTP");
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void resourcesAndHeap(String values) {
        RenderedChart chart = RenderedChart.withValues(values);
        JsonNode resources = chart.container().path("resources");

        assertThat(resources.at("/requests/cpu").asText()).isEqualTo("100m");
        assertThat(resources.at("/requests/memory").asText()).isEqualTo("256Mi");
        assertThat(resources.at("/limits/memory")).isEqualTo(resources.at("/requests/memory"));
        assertThat(resources.at("/limits/cpu").isMissingNode()).as("no CPU limit").isTrue();
        // Min too: with MaxRAMPercentage alone a 256Mi pod gets the JVM's default maximum heap (126 MiB). Initial
        // too: grown from 8 MiB, Serial's young generation stayed tiny with the AOT cache (bench/README.md).
        assertThat(chart.env().get("JAVA_OPTS")).contains("-XX:MaxRAMPercentage=30", "-XX:MinRAMPercentage=30",
                "-XX:InitialRAMPercentage=30", "-XX:ActiveProcessorCount=1");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void lockedDown(String values) {
        RenderedChart chart = RenderedChart.withValues(values);
        JsonNode podSpec = chart.one("Deployment").at("/spec/template/spec");
        JsonNode pod = podSpec.path("securityContext");
        JsonNode container = chart.container().path("securityContext");

        assertThat(pod.path("runAsNonRoot").asBoolean()).as("pod runAsNonRoot").isTrue();
        assertThat(pod.path("runAsUser").asInt()).as("pod runAsUser").isPositive();
        assertThat(pod.at("/seccompProfile/type").asText()).as("pod seccompProfile").isEqualTo("RuntimeDefault");
        assertThat(container.path("runAsNonRoot").asBoolean()).as("runAsNonRoot").isTrue();
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).as("readOnlyRootFilesystem").isTrue();
        assertThat(container.path("allowPrivilegeEscalation").isBoolean()).as("allowPrivilegeEscalation set").isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean()).as("allowPrivilegeEscalation").isFalse();
        assertThat(texts(container.at("/capabilities/drop"))).as("capabilities.drop").containsExactly("ALL");
        assertThat(container.at("/capabilities/add").isMissingNode()).as("no capabilities.add").isTrue();
        assertThat(container.at("/seccompProfile/type").asText()).as("seccompProfile").isEqualTo("RuntimeDefault");
        assertThat(podSpec.path("hostNetwork").asBoolean(false)).isFalse();

        // The root filesystem is read-only: the server's temporary certificate files need /tmp.
        assertThat(chart.container().path("volumeMounts").toString()).contains("\"mountPath\":\"/tmp\"");
        JsonNode tmp = volume(podSpec, "tmp");
        assertThat(tmp.has("emptyDir")).isTrue();
        assertThat(podSpec.at("/serviceAccountName").asText()).isEqualTo(chart.one("ServiceAccount").at("/metadata/name").asText());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void serviceForwards443ToTheHttpsPort(String values) {
        RenderedChart chart = RenderedChart.withValues(values);
        JsonNode service = chart.one("Service");
        JsonNode pod = chart.one("Deployment").at("/spec/template");

        assertThat(service.at("/metadata/name").asText()).isEqualTo(RenderedChart.RELEASE);
        JsonNode https = null;
        for (JsonNode port : service.at("/spec/ports")) {
            if (port.path("port").asInt() == 443) {
                https = port;
            }
        }
        assertThat(https).as("Service port 443").isNotNull();
        assertThat(portNumber(chart.container(), https.path("targetPort").asText())).isEqualTo(8443);
        assertThat(labels(pod.at("/metadata/labels"))).containsAllEntriesOf(labels(service.at("/spec/selector")));
    }

    static Map<String, String> labels(JsonNode map) {
        Map<String, String> labels = new HashMap<>();
        map.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode volume : podSpec.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name + " in " + podSpec.path("volumes"));
    }

    private static int portNumber(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name);
    }
}
