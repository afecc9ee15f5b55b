package io.nativesidecar.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.nativesidecar.cli.ConvertCommand;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.ConversionResult;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.ConfigurationFile;
import io.nativesidecar.report.Reason;
import io.nativesidecar.testing.ApiServerRules;
import io.nativesidecar.testing.ConversionInvariants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meshes' own test data (see the README in each directory): converting what a mesh injects for
 * classic sidecars must give exactly what its native mode injects for the same workload, apart from
 * our {@code nativesidecar.io/*} annotations, with Istio's status annotation compared as JSON. Every
 * pod also goes through the webhook path ({@link ConversionInvariants}), with the same configuration.
 */
class UpstreamVectorsTest {

    private static final Path ROOT = Path.of("src/test/resources");
    private static final String INPUT = ".input.yaml";
    private static final String EXPECTED = ".expected.yaml";

    @TestFactory
    Stream<DynamicTest> istioNativeByDefault() throws IOException {
        return pairs("istio-vectors/native-by-default", 86);
    }

    @TestFactory
    Stream<DynamicTest> istioOldVersionPairs() throws IOException {
        return pairs("istio-vectors/old-version", 8);
    }

    @TestFactory
    Stream<DynamicTest> linkerdNativeByDefault() throws IOException {
        return pairs("linkerd-vectors", 29);
    }

    @TestFactory
    Stream<DynamicTest> kumaSidecarFeature() throws IOException {
        return pairs("kuma-vectors", 27);
    }

    /** Istio's native output for a gateway has no container left; the API server would reject it, so it stays classic. */
    @Test
    void istioGatewayKeepsItsOnlyContainer() throws Exception {
        Path dir = ROOT.resolve("istio-vectors/deliberate");
        SidecarConverter engine = new SidecarConverter(Configuration.builtIn());
        for (JsonNode pod : ConversionInvariants.pods(dir.resolve("only-proxy-container" + INPUT))) {
            ConversionResult result = ConversionInvariants.check(engine, ClusterFacts.CURRENT, pod);
            assertThat(result.changed()).isFalse();
            assertThat(result.report().findings()).extracting(f -> f.reason()).contains(Reason.STANDALONE_PROXY);
        }
        for (JsonNode pod : ConversionInvariants.pods(dir.resolve("only-proxy-container" + EXPECTED))) {
            Pod istios = ConversionInvariants.JSON.treeToValue(pod, Pod.class);
            assertThat(ApiServerRules.violations(istios)).contains("spec.containers: must contain at least one container");
        }
    }

    private static Stream<DynamicTest> pairs(String directory, int expectedPairs) throws IOException {
        Path dir = ROOT.resolve(directory);
        Path config = dir.resolve("config.yaml");
        List<Path> inputs;
        try (Stream<Path> files = Files.list(dir)) {
            inputs = files.filter(f -> f.getFileName().toString().endsWith(INPUT)).sorted().toList();
        }
        assertThat(inputs).as("pairs in " + dir).hasSize(expectedPairs);
        return inputs.stream().flatMap(input -> {
            String name = input.getFileName().toString().replace(INPUT, "");
            Path expected = dir.resolve(name + EXPECTED);
            return Stream.of(
                    DynamicTest.dynamicTest(name + ": convert", () -> convertsLikeTheMesh(input, expected, config)),
                    DynamicTest.dynamicTest(name + ": webhook path", () -> webhookPath(input, config)));
        });
    }

    private static void convertsLikeTheMesh(Path input, Path expected, Path config) throws Exception {
        List<String> args = new ArrayList<>(List.of("-f", input.toString()));
        if (Files.exists(config)) {
            args.addAll(List.of("--config", config.toString()));
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = ConvertCommand.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertThat(exit).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(comparable(stdout.toByteArray())).isEqualTo(comparable(Files.readAllBytes(expected)));
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains(Annotations.CONVERTED + ": ");
    }

    private static void webhookPath(Path input, Path config) throws Exception {
        Configuration configuration = Files.exists(config) ? ConfigurationFile.load(config) : Configuration.builtIn();
        SidecarConverter engine = new SidecarConverter(configuration);
        List<JsonNode> pods = ConversionInvariants.pods(input);
        assertThat(pods).isNotEmpty();
        for (JsonNode pod : pods) {
            assertThat(ConversionInvariants.check(engine, ClusterFacts.CURRENT, pod).changed()).as("converted").isTrue();
        }
    }

    /** Documents with our annotations dropped and Istio's status parsed, so that JSON formatting does not count. */
    private static List<JsonNode> comparable(byte[] yaml) throws IOException {
        List<JsonNode> documents = ConversionInvariants.documents(yaml);
        documents.forEach(UpstreamVectorsTest::normalise);
        return documents;
    }

    private static void normalise(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.get("annotations") instanceof ObjectNode annotations) {
                List<String> ours = new ArrayList<>();
                annotations.fieldNames().forEachRemaining(key -> {
                    if (key.startsWith(Annotations.PREFIX)) {
                        ours.add(key);
                    }
                });
                annotations.remove(ours);
                if (annotations.isEmpty() && !ours.isEmpty()) {
                    // Only ours were there: the mesh's output has no annotations at all.
                    object.remove("annotations");
                }
                if (annotations.get("sidecar.istio.io/status") instanceof TextNode status) {
                    try {
                        annotations.set("sidecar.istio.io/status", ConversionInvariants.JSON.readTree(status.asText()));
                    } catch (IOException notJson) {
                        // compared as text then
                    }
                }
            }
            object.elements().forEachRemaining(UpstreamVectorsTest::normalise);
        } else if (node != null && node.isArray()) {
            node.elements().forEachRemaining(UpstreamVectorsTest::normalise);
        }
    }
}
