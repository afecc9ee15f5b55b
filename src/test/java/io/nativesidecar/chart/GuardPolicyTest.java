package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.extensions.CelExtensions;
import io.nativesidecar.testing.ConversionInvariants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard's CEL, taken from the rendered ValidatingAdmissionPolicy and evaluated as the API server
 * does (match conditions, then variables in order, then validations) with Google's CEL for Java and
 * the Kubernetes string library: every pod the webhook converts passes, every pod whose conversion was
 * undone is caught and named, and pods it never converted are not even matched.
 */
class GuardPolicyTest {

    private static final String RENDERED = "guard:\n  renderWithoutApiCheck: true\n";
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("object", SimpleType.DYN)
            .addVar("variables", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .build();

    /** What the policy says about one pod: null when it does not match, else the failed validations' messages. */
    record Verdict(List<String> messages) {
    }

    static Verdict evaluate(JsonNode policy, JsonNode pod) throws Exception {
        Map<String, Object> object = ConversionInvariants.JSON.convertValue(pod, Map.class);
        Map<String, Object> variables = new LinkedHashMap<>();
        for (JsonNode condition : policy.at("/spec/matchConditions")) {
            if (!Boolean.TRUE.equals(eval(condition.path("expression").asText(), object, variables))) {
                return null;
            }
        }
        for (JsonNode variable : policy.at("/spec/variables")) {
            variables.put(variable.path("name").asText(), eval(variable.path("expression").asText(), object, variables));
        }
        List<String> messages = new ArrayList<>();
        for (JsonNode validation : policy.at("/spec/validations")) {
            if (!Boolean.TRUE.equals(eval(validation.path("expression").asText(), object, variables))) {
                messages.add(String.valueOf(eval(validation.path("messageExpression").asText(), object, variables)));
            }
        }
        return new Verdict(messages);
    }

    private static Object eval(String expression, Map<String, Object> object, Map<String, Object> variables) throws Exception {
        return CEL.createProgram(CEL.compile(expression).getAst()).eval(Map.of("object", object, "variables", variables));
    }

    private static JsonNode policy() {
        return RenderedChart.withValues(RENDERED).one("ValidatingAdmissionPolicy");
    }

    @Test
    void renderedWithItsBindingWhenAsked() {
        RenderedChart chart = RenderedChart.withValues(RENDERED);
        JsonNode binding = chart.one("ValidatingAdmissionPolicyBinding");
        assertThat(binding.at("/spec/policyName").asText()).isEqualTo(chart.one("ValidatingAdmissionPolicy").at("/metadata/name").asText());
        assertThat(WebhookConfigurationTest.texts(binding.at("/spec/validationActions"))).containsExactly("Warn", "Audit");
        assertThat(policy().at("/spec/failurePolicy").asText()).isEqualTo("Ignore");
        // Helm cannot see a cluster here: without the switch nothing is rendered (a 1.29 cluster lacks the API).
        assertThat(RenderedChart.defaults().has("ValidatingAdmissionPolicy")).isFalse();
        assertThat(RenderedChart.withValues(RENDERED + "  enabled: false\n").has("ValidatingAdmissionPolicy")).isFalse();
        assertThat(RenderedChart.failureFor("guard:\n  validationActions: [Warn, Deny]\n")).contains("Deny");
    }

    /** Every pod of every golden case, as the webhook converts it: none is caught. */
    @TestFactory
    Stream<DynamicTest> convertedPodsPass() throws Exception {
        JsonNode policy = policy();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/golden"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".converted.yaml")).sorted().toList()) {
                tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    for (JsonNode pod : pods(file)) {
                        Verdict verdict = evaluate(policy, pod);
                        if (verdict != null) {
                            assertThat(verdict.messages()).as(file.getFileName().toString()).isEmpty();
                        }
                    }
                }));
            }
        }
        assertThat(tests).hasSizeGreaterThan(60);
        return tests.stream();
    }

    @Test
    void undoneConversionsAreCaughtAndNamed() throws Exception {
        JsonNode policy = policy();
        JsonNode converted = pods(Path.of("src/test/resources/golden/multiple-sidecars-keep-order.converted.yaml")).get(0);
        assertThat(evaluate(policy, converted).messages()).isEmpty();

        // A later webhook built with an old Kubernetes library dropped restartPolicy from two of them.
        JsonNode stripped = converted.deepCopy();
        for (JsonNode init : stripped.at("/spec/initContainers")) {
            if (init.path("name").asText().equals("istio-proxy") || init.path("name").asText().equals("fluent-bit")) {
                ((ObjectNode) init).remove("restartPolicy");
            }
        }
        assertThat(evaluate(policy, stripped).messages()).singleElement().asString()
                .startsWith("nativesidecar: converted to native sidecars, but no longer init containers")
                .endsWith(": istio-proxy, fluent-bit");

        // Moved back among the regular containers; or given another restartPolicy.
        JsonNode movedBack = converted.deepCopy();
        ArrayNode inits = (ArrayNode) movedBack.at("/spec/initContainers");
        for (int i = inits.size() - 1; i >= 0; i--) {
            if (inits.get(i).path("name").asText().equals("cloud-sql-proxy")) {
                ((ArrayNode) movedBack.at("/spec/containers")).add(inits.remove(i));
            }
        }
        assertThat(evaluate(policy, movedBack).messages()).singleElement().asString().endsWith(": cloud-sql-proxy");
        JsonNode otherPolicy = converted.deepCopy();
        ((ObjectNode) otherPolicy.at("/spec/initContainers/1")).put("restartPolicy", "OnFailure");
        assertThat(evaluate(policy, otherPolicy).messages()).singleElement().asString().endsWith(": istio-proxy");

        // Init containers gone altogether: nothing named is left to hang the pod.
        JsonNode none = converted.deepCopy();
        ((ObjectNode) none.get("spec")).remove("initContainers");
        assertThat(evaluate(policy, none).messages()).isEmpty();

        // Names are read as the webhook writes and reads them: spaces around commas do not count.
        JsonNode spaced = stripped.deepCopy();
        ((ObjectNode) spaced.at("/metadata/annotations")).put("nativesidecar.io/converted", " istio-proxy , cloud-sql-proxy, fluent-bit ");
        assertThat(evaluate(policy, spaced).messages()).singleElement().asString().endsWith(": istio-proxy, fluent-bit");
        JsonNode spacedIntact = converted.deepCopy();
        ((ObjectNode) spacedIntact.at("/metadata/annotations")).put("nativesidecar.io/converted", "istio-proxy, cloud-sql-proxy ,fluent-bit");
        assertThat(evaluate(policy, spacedIntact).messages()).isEmpty();
    }

    @Test
    void podsTheWebhookNeverConvertedAreNotMatched() throws Exception {
        JsonNode policy = policy();
        for (JsonNode pod : pods(Path.of("src/test/resources/golden/no-sidecars.converted.yaml"))) {
            assertThat(evaluate(policy, pod)).isNull();
        }
        JsonNode classic = pods(Path.of("src/test/resources/istio-vectors/old-version/hello.input.yaml")).get(0);
        assertThat(evaluate(policy, classic)).isNull();
        ObjectNode noAnnotations = ConversionInvariants.JSON.createObjectNode();
        noAnnotations.putObject("metadata").put("name", "bare");
        noAnnotations.putObject("spec").putArray("containers").addObject().put("name", "app");
        assertThat(evaluate(policy, noAnnotations)).isNull();
        // Annotated, but empty: nothing to check.
        ((ObjectNode) noAnnotations.get("metadata")).putObject("annotations").put("nativesidecar.io/converted", "");
        assertThat(evaluate(policy, noAnnotations).messages()).isEmpty();
    }

    private static List<JsonNode> pods(Path file) throws Exception {
        List<JsonNode> pods = new ArrayList<>();
        for (JsonNode document : ConversionInvariants.documents(Files.readAllBytes(file))) {
            pods.addAll(ConversionInvariants.pods(document));
        }
        return pods;
    }
}
