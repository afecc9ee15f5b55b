package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.nativesidecar.chart.DeploymentTest.labels;
import static org.assertj.core.api.Assertions.assertThat;

/** Autoscaling, NetworkPolicy, PodDisruptionBudget and the monitoring objects, each off or on. */
class OptionalFeaturesTest {

    /** The metrics the server exports (contract §6 and the admission metrics). */
    private static final Set<String> SERVER_METRICS = Set.of(
            "nativesidecar_admissions_total", "nativesidecar_failed_open_total", "nativesidecar_sidecars_converted_total",
            "nativesidecar_findings_total", "nativesidecar_admission_duration_seconds_bucket",
            "nativesidecar_config_file_refused");
    private static final Pattern METRIC = Pattern.compile("nativesidecar_[a-z_]+");

    @Test
    void defaultsCreateNoOptionalObjects() {
        RenderedChart chart = RenderedChart.defaults();

        for (String kind : new String[] {"HorizontalPodAutoscaler", "NetworkPolicy", "ServiceMonitor", "PrometheusRule"}) {
            assertThat(chart.has(kind)).as(kind).isFalse();
        }
        // The configuration file's ConfigMap only, no dashboard.
        assertThat(chart.all("ConfigMap")).extracting(c -> c.at("/metadata/name").asText())
                .containsExactly(RenderedChart.RELEASE + "-config");
        assertThat(chart.has("PodDisruptionBudget")).isTrue();
    }

    @Test
    void autoscalingOwnsTheReplicaCount() {
        RenderedChart chart = RenderedChart.withValues("autoscaling:\n  enabled: true\n  minReplicas: 3\n  maxReplicas: 7\n");

        JsonNode hpa = chart.one("HorizontalPodAutoscaler");
        assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(chart.one("Deployment").at("/metadata/name").asText());
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(3);
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(7);
        assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
        assertThat(chart.one("Deployment").at("/spec/replicas").isMissingNode()).isTrue();
    }

    @Test
    void podDisruptionBudgetCanBeTurnedOff() {
        assertThat(RenderedChart.withValues("podDisruptionBudget:\n  enabled: false\n").has("PodDisruptionBudget")).isFalse();
    }

    @Test
    void networkPolicyOpensHttpsToAllAndManagementToMonitoring() {
        RenderedChart chart = RenderedChart.withValues("""
                networkPolicy:
                  enabled: true
                  metricsNamespaceSelector:
                    matchLabels:
                      kubernetes.io/metadata.name: observability
                """);

        JsonNode policy = chart.one("NetworkPolicy");
        assertThat(LabelSelectors.matches(policy.at("/spec/podSelector"),
                labels(chart.one("Deployment").at("/spec/template/metadata/labels")))).isTrue();
        assertThat(WebhookConfigurationTest.texts(policy.at("/spec/policyTypes"))).containsExactly("Ingress");
        JsonNode ingress = policy.at("/spec/ingress");
        assertThat(ingress).hasSize(2);
        assertThat(ingress.at("/0/ports/0/port").asInt()).isEqualTo(8443);
        assertThat(ingress.at("/0/from").isMissingNode()).as("the API server's address cannot be selected").isTrue();
        assertThat(ingress.at("/1/ports/0/port").asInt()).isEqualTo(9000);
        assertThat(ingress.at("/1/from/0/namespaceSelector/matchLabels").path("kubernetes.io/metadata.name").asText())
                .isEqualTo("observability");
    }

    @Test
    void serviceMonitorScrapesTheManagementPort() {
        RenderedChart chart = RenderedChart.withValues(
                "metrics:\n  serviceMonitor:\n    enabled: true\n    interval: 15s\n    labels:\n      release: prometheus\n");

        JsonNode monitor = chart.one("ServiceMonitor");
        JsonNode service = chart.one("Service");
        assertThat(monitor.at("/metadata/labels").path("release").asText()).isEqualTo("prometheus");
        assertThat(labels(service.at("/metadata/labels"))).containsAllEntriesOf(labels(monitor.at("/spec/selector/matchLabels")));
        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("interval").asText()).isEqualTo("15s");
        JsonNode port = null;
        for (JsonNode p : service.at("/spec/ports")) {
            if (p.path("name").asText().equals(endpoint.path("port").asText())) {
                port = p;
            }
        }
        assertThat(port).as("the Service port the ServiceMonitor names").isNotNull();
        assertThat(port.path("port").asInt()).isEqualTo(9000);
        assertThat(port.path("targetPort").asText()).isEqualTo("management");
    }

    @Test
    void prometheusRuleAlertsOnFailedOpenErrorsAndLatency() {
        RenderedChart chart = RenderedChart.withValues("""
                metrics:
                  prometheusRule:
                    enabled: true
                    severity: critical
                    errorRatio: 0.1
                    latencyP99Seconds: 0.25
                """);

        JsonNode rules = chart.one("PrometheusRule").at("/spec/groups/0/rules");
        assertThat(rules.findValuesAsText("alert"))
                .containsExactly("NativeSidecarWebhookFailingOpen", "NativeSidecarWebhookErrors", "NativeSidecarWebhookSlow",
                        "NativeSidecarWebhookConfigRefused");
        String failedOpen = rules.at("/0/expr").asText();
        String errors = rules.at("/1/expr").asText();
        String slow = rules.at("/2/expr").asText();
        assertThat(rules.at("/3/expr").asText())
                .isEqualTo("max(nativesidecar_config_file_refused{namespace=\"native-sidecar-webhook\"}) > 0");
        assertThat(failedOpen).contains("nativesidecar_failed_open_total{namespace=\"native-sidecar-webhook\"}").endsWith("> 0");
        assertThat(errors).contains("outcome=~\"failed_open|bad_request\"").contains("nativesidecar_admissions_total").endsWith("> 0.1");
        assertThat(slow).startsWith("histogram_quantile(0.99,")
                .contains("sum by (le) (rate(nativesidecar_admission_duration_seconds_bucket").endsWith("> 0.25");
        rules.forEach(rule -> {
            assertThat(rule.at("/labels/severity").asText()).isEqualTo("critical");
            assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
            assertThat(rule.at("/annotations/description").asText()).contains("{{ $value");
            assertThat(SERVER_METRICS).containsAll(metrics(rule.path("expr").asText()));
        });
    }

    @Test
    void dashboardConfigMapForGrafana() throws Exception {
        RenderedChart chart = RenderedChart.withValues("metrics:\n  dashboard:\n    enabled: true\n    namespace: grafana\n");

        List<JsonNode> dashboards = chart.all("ConfigMap").stream()
                .filter(c -> c.at("/metadata/labels").has("grafana_dashboard")).toList();
        assertThat(dashboards).hasSize(1);
        JsonNode configMap = dashboards.get(0);
        assertThat(configMap.at("/metadata/namespace").asText()).isEqualTo("grafana");
        assertThat(configMap.at("/metadata/labels").path("grafana_dashboard").asText()).isEqualTo("1");
        JsonNode dashboard = new ObjectMapper().readTree(configMap.at("/data").path("native-sidecar-webhook.json").asText());
        assertThat(dashboard.path("uid").asText()).isEqualTo("native-sidecar-webhook");
        List<String> expressions = dashboard.path("panels").findValuesAsText("expr");
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(6);
        List<String> used = new ArrayList<>();
        expressions.forEach(e -> used.addAll(metrics(e)));
        assertThat(SERVER_METRICS).containsAll(used);
        assertThat(used).contains("nativesidecar_admissions_total", "nativesidecar_failed_open_total",
                "nativesidecar_sidecars_converted_total", "nativesidecar_findings_total",
                "nativesidecar_admission_duration_seconds_bucket");
        assertThat(String.join("\n", expressions)).contains("histogram_quantile(0.99");
    }

    private static List<String> metrics(String expression) {
        List<String> found = new ArrayList<>();
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }
}
