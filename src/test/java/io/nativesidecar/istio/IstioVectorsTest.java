package io.nativesidecar.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.nativesidecar.cli.ConvertCommand;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.ConversionDefaults;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.testing.ConversionInvariants;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's own test data (see {@code istio-vectors/README.md}): converting what Istio injects for
 * classic sidecars must give exactly what Istio's native-sidecar mode injects, apart from our own
 * {@code nativesidecar.io/*} annotations, with Istio's status annotation compared as JSON.
 */
class IstioVectorsTest {

    private static final Path DIR = Path.of("src/test/resources/istio-vectors");

    @ParameterizedTest
    @ValueSource(strings = {"hello", "job", "native-sidecar"})
    void convertsLikeIstioNativeMode(String name) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = ConvertCommand.run(new String[] {"-f", DIR.resolve(name + ".input.yaml").toString()},
                new ByteArrayInputStream(new byte[0]), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertThat(exit).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
        List<JsonNode> actual = comparable(stdout.toByteArray());
        List<JsonNode> expected = comparable(Files.readAllBytes(DIR.resolve(name + ".expected.yaml")));
        assertThat(actual).isEqualTo(expected);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains(Annotations.CONVERTED + ": istio-proxy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "job", "native-sidecar"})
    void webhookPathHoldsTheInvariants(String name) throws Exception {
        SidecarConverter engine = new SidecarConverter(ConversionDefaults.standard());
        for (JsonNode document : ConversionInvariants.documents(Files.readAllBytes(DIR.resolve(name + ".input.yaml")))) {
            for (JsonNode pod : ConversionInvariants.pods(document)) {
                assertThat(ConversionInvariants.check(engine, ClusterFacts.CURRENT, pod).changed()).isTrue();
            }
        }
    }

    /** Documents with our annotations dropped and Istio's status parsed, so that JSON formatting does not count. */
    private static List<JsonNode> comparable(byte[] yaml) throws Exception {
        List<JsonNode> documents = ConversionInvariants.documents(yaml);
        documents.forEach(IstioVectorsTest::normalise);
        return documents;
    }

    private static void normalise(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.get("annotations") instanceof ObjectNode annotations) {
                Iterator<String> keys = annotations.fieldNames();
                List<String> ours = new ArrayList<>();
                keys.forEachRemaining(key -> {
                    if (key.startsWith(Annotations.PREFIX)) {
                        ours.add(key);
                    }
                });
                annotations.remove(ours);
                if (annotations.get(Annotations.ISTIO_STATUS) instanceof TextNode status) {
                    try {
                        annotations.set(Annotations.ISTIO_STATUS, ConversionInvariants.JSON.readTree(status.asText()));
                    } catch (Exception notJson) {
                        // compared as text then
                    }
                }
            }
            object.elements().forEachRemaining(IstioVectorsTest::normalise);
        } else if (node != null && node.isArray()) {
            node.elements().forEachRemaining(IstioVectorsTest::normalise);
        }
    }
}
