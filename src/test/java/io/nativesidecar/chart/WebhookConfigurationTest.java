package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MutatingWebhookConfiguration: one object, an entry per way in (namespace label, pod annotation,
 * extra namespace selectors), each sending only pod CREATEs to /mutate, and no namespace sent twice.
 */
class WebhookConfigurationTest {

    private static final String NAMESPACES = "namespaces.nativesidecar.io";
    private static final String PODS = "pods.nativesidecar.io";
    private static final String POD_OPT_IN_CEL = "has(object.metadata.annotations) && 'nativesidecar.io/enabled' in "
            + "object.metadata.annotations && object.metadata.annotations['nativesidecar.io/enabled'] == 'true'";
    private static final String ISTIO = """
            webhook:
              extraNamespaceSelectors:
                - name: istio
                  matchLabels:
                    istio-injection: enabled
                - name: revision
                  matchExpressions:
                    - key: istio.io/rev
                      operator: Exists
            """;

    @ParameterizedTest
    @ValueSource(strings = {"certManager", "selfManaged"})
    void oneConfigurationWithBothWebhooks(String mode) {
        RenderedChart chart = RenderedChart.withValues(mode.equals("certManager") ? "" : "certificates:\n  mode: selfManaged\n");

        assertThat(chart.all("MutatingWebhookConfiguration")).hasSize(1);
        assertThat(chart.all("ValidatingWebhookConfiguration")).isEmpty();
        assertThat(chart.one("MutatingWebhookConfiguration").at("/metadata/name").asText()).isEqualTo(RenderedChart.RELEASE);
        assertThat(chart.webhooks()).containsOnlyKeys(NAMESPACES, PODS);
        chart.webhooks().values().forEach(WebhookConfigurationTest::assertCommonFields);
    }

    @Test
    void namespaceWebhookTakesLabelledNamespaces() {
        JsonNode webhook = RenderedChart.defaults().webhooks().get(NAMESPACES);

        assertThat(webhook.at("/namespaceSelector/matchExpressions").toString())
                .contains("{\"key\":\"nativesidecar.io/enabled\",\"operator\":\"In\",\"values\":[\"true\"]}");
        assertThat(webhook.has("matchConditions")).isFalse();
    }

    @Test
    void podWebhookTakesAnnotatedPodsFromUnlabelledNamespaces() {
        JsonNode webhook = RenderedChart.defaults().webhooks().get(PODS);

        assertThat(webhook.at("/namespaceSelector/matchExpressions").toString())
                .contains("{\"key\":\"nativesidecar.io/enabled\",\"operator\":\"NotIn\",\"values\":[\"true\",\"false\"]}");
        assertThat(webhook.path("matchConditions")).hasSize(1);
        assertThat(webhook.at("/matchConditions/0/expression").asText()).isEqualTo(POD_OPT_IN_CEL);
    }

    @Test
    void whichEntriesSeeWhichNamespace() {
        RenderedChart chart = RenderedChart.defaults();

        assertThat(entriesFor(chart, "shop", "nativesidecar.io/enabled", "true")).containsExactly(NAMESPACES);
        assertThat(entriesFor(chart, "shop")).containsExactly(PODS);
        assertThat(entriesFor(chart, "shop", "nativesidecar.io/enabled", "false")).isEmpty();
        assertThat(entriesFor(chart, "kube-system", "nativesidecar.io/enabled", "true")).isEmpty();
        assertThat(entriesFor(chart, "kube-node-lease")).isEmpty();
        assertThat(entriesFor(chart, RenderedChart.NAMESPACE, "nativesidecar.io/enabled", "true")).isEmpty();
        assertThat(entriesFor(chart, RenderedChart.NAMESPACE)).isEmpty();
    }

    @Test
    void extraNamespaceSelectorsAddEntriesThatNeverOverlapTheLabel() {
        RenderedChart chart = RenderedChart.withValues(ISTIO);

        assertThat(chart.all("MutatingWebhookConfiguration")).hasSize(1);
        assertThat(chart.webhooks()).containsOnlyKeys(NAMESPACES, "istio." + NAMESPACES, "revision." + NAMESPACES, PODS);
        chart.webhooks().values().forEach(WebhookConfigurationTest::assertCommonFields);
        assertThat(entriesFor(chart, "mesh", "istio-injection", "enabled")).containsExactly("istio." + NAMESPACES, PODS);
        assertThat(entriesFor(chart, "mesh", "istio.io/rev", "1-24")).containsExactly("revision." + NAMESPACES, PODS);
        assertThat(entriesFor(chart, "mesh", "istio-injection", "enabled", "nativesidecar.io/enabled", "true"))
                .containsExactly(NAMESPACES);
        assertThat(entriesFor(chart, "mesh", "istio-injection", "enabled", "nativesidecar.io/enabled", "false")).isEmpty();
        assertThat(entriesFor(chart, "istio-system", "istio-injection", "disabled")).containsExactly(PODS);
        assertThat(entriesFor(chart, "kube-system", "istio-injection", "enabled")).isEmpty();
        // The pod entry only takes annotated pods: in an extra-selector namespace such a pod is reviewed
        // twice, and the server's second review finds nothing left to change.
        assertThat(chart.webhooks().get("istio." + NAMESPACES).has("matchConditions")).isFalse();
    }

    @Test
    void failurePolicyTimeoutAndExclusionsAreConfigurable() {
        RenderedChart chart = RenderedChart.withValues("""
                webhook:
                  failurePolicy: Fail
                  timeoutSeconds: 10
                  excludedNamespaces: [istio-system, kube-system]
                """);

        chart.webhooks().values().forEach(w -> {
            assertThat(w.path("failurePolicy").asText()).isEqualTo("Fail");
            assertThat(w.path("timeoutSeconds").asInt()).isEqualTo(10);
        });
        assertThat(entriesFor(chart, "istio-system", "nativesidecar.io/enabled", "true")).isEmpty();
        assertThat(excludedNamespaces(chart.webhooks().get(PODS)))
                .containsExactly("kube-system", "kube-node-lease", RenderedChart.NAMESPACE, "istio-system");
    }

    @Test
    void podOptInCanBeTurnedOff() {
        assertThat(RenderedChart.withValues("webhook:\n  podOptIn: false\n").webhooks()).containsOnlyKeys(NAMESPACES);
    }

    @Test
    void schemaRefusesUnsafeOrMalformedSettings() {
        assertThat(RenderedChart.failureFor("webhook:\n  timeoutSeconds: 30\n")).contains("timeoutSeconds");
        assertThat(RenderedChart.failureFor("webhook:\n  failurePolicy: Retry\n")).contains("failurePolicy");
        assertThat(RenderedChart.failureFor("webhook:\n  extraNamespaceSelectors:\n    - name: Bad_Name\n      matchLabels: {a: b}\n"))
                .contains("extraNamespaceSelectors");
        assertThat(RenderedChart.failureFor("webhook:\n  extraNamespaceSelectors:\n    - name: all\n"))
                .contains("extraNamespaceSelectors");
        assertThat(RenderedChart.failureFor("webhook:\n  failurePolicyy: Fail\n")).contains("failurePolicyy");
    }

    private static void assertCommonFields(JsonNode webhook) {
        String name = webhook.path("name").asText();
        assertThat(webhook.path("rules")).as(name).hasSize(1);
        JsonNode rule = webhook.at("/rules/0");
        assertThat(texts(rule.path("operations"))).as(name).containsExactly("CREATE");
        assertThat(texts(rule.path("apiGroups"))).as(name).containsExactly("");
        assertThat(texts(rule.path("apiVersions"))).as(name).containsExactly("v1");
        assertThat(texts(rule.path("resources"))).as(name).containsExactly("pods");
        JsonNode service = webhook.at("/clientConfig/service");
        assertThat(service.path("name").asText()).as(name).isEqualTo(RenderedChart.RELEASE);
        assertThat(service.path("namespace").asText()).as(name).isEqualTo(RenderedChart.NAMESPACE);
        assertThat(service.path("path").asText()).as(name).isEqualTo("/mutate");
        assertThat(service.path("port").asInt()).as(name).isEqualTo(443);
        assertThat(webhook.path("sideEffects").asText()).as(name).isEqualTo("None");
        assertThat(texts(webhook.path("admissionReviewVersions"))).as(name).containsExactly("v1");
        assertThat(webhook.path("reinvocationPolicy").asText()).as(name).isEqualTo("IfNeeded");
        assertThat(webhook.path("timeoutSeconds").asInt()).as(name).isEqualTo(5);
        assertThat(webhook.path("failurePolicy").asText()).as(name).isEqualTo("Ignore");
        assertThat(excludedNamespaces(webhook)).as(name)
                .containsExactly("kube-system", "kube-node-lease", RenderedChart.NAMESPACE);
        assertThat(LabelSelectors.matches(webhook.path("namespaceSelector"), Map.of("nativesidecar.io/enabled", "false")))
                .as("%s takes a namespace labelled nativesidecar.io/enabled=false", name).isFalse();
    }

    private static List<String> excludedNamespaces(JsonNode webhook) {
        for (JsonNode requirement : webhook.at("/namespaceSelector/matchExpressions")) {
            if (requirement.path("key").asText().equals("kubernetes.io/metadata.name")
                    && requirement.path("operator").asText().equals("NotIn")) {
                return texts(requirement.path("values"));
            }
        }
        return List.of();
    }

    /** The webhook entries whose namespaceSelector takes a namespace with this name and these labels. */
    private static List<String> entriesFor(RenderedChart chart, String namespace, String... labelPairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/metadata.name", namespace);
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        List<String> matched = new ArrayList<>();
        chart.webhooks().forEach((name, webhook) -> {
            if (LabelSelectors.matches(webhook.path("namespaceSelector"), labels)) {
                matched.add(name);
            }
        });
        return matched;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
