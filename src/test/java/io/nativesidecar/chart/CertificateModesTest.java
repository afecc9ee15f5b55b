package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.nativesidecar.chart.DeploymentTest.volume;
import static io.nativesidecar.chart.WebhookConfigurationTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three ways to the serving certificate, and the least RBAC each needs: cert-manager (the
 * default), the server managing its own CA (selfManaged) and a Secret plus CA bundle provided by the
 * user (external).
 */
class CertificateModesTest {

    private static final String SECRET = RenderedChart.RELEASE + "-tls";
    private static final String SELF_MANAGED = "certificates:\n  mode: selfManaged\n";
    private static final String EXTERNAL = "certificates:\n  mode: external\n  secretName: corp-tls\n  caBundle: Q0EgYnVuZGxl\n";

    @Test
    void certManagerIsTheDefault() {
        RenderedChart chart = RenderedChart.defaults();

        JsonNode serving = chart.named("Certificate", RenderedChart.RELEASE);
        assertThat(serving.at("/spec/secretName").asText()).isEqualTo(SECRET);
        assertThat(texts(serving.at("/spec/dnsNames"))).contains(
                RenderedChart.RELEASE + "." + RenderedChart.NAMESPACE + ".svc",
                RenderedChart.RELEASE + "." + RenderedChart.NAMESPACE + ".svc.cluster.local");
        assertThat(serving.at("/spec/issuerRef/name").asText()).isEqualTo(RenderedChart.RELEASE + "-ca");
        // The chart's own CA chain: self-signed Issuer -> CA Certificate -> CA Issuer -> serving Certificate.
        assertThat(chart.named("Issuer", RenderedChart.RELEASE + "-selfsigned").at("/spec/selfSigned").isObject()).isTrue();
        JsonNode ca = chart.named("Certificate", RenderedChart.RELEASE + "-ca");
        assertThat(ca.at("/spec/isCA").asBoolean()).isTrue();
        assertThat(ca.at("/spec/issuerRef/name").asText()).isEqualTo(RenderedChart.RELEASE + "-selfsigned");
        assertThat(chart.named("Issuer", RenderedChart.RELEASE + "-ca").at("/spec/ca/secretName").asText())
                .isEqualTo(ca.at("/spec/secretName").asText());

        JsonNode configuration = chart.one("MutatingWebhookConfiguration");
        assertThat(configuration.at("/metadata/annotations").path("cert-manager.io/inject-ca-from").asText())
                .isEqualTo(RenderedChart.NAMESPACE + "/" + RenderedChart.RELEASE);
        chart.webhooks().values().forEach(w -> assertThat(w.at("/clientConfig/caBundle").isMissingNode()).isTrue());

        assertMountsSecret(chart, SECRET);
        assertThat(chart.env()).doesNotContainKey("NATIVESIDECAR_CERTIFICATES_MODE");
        assertThat(chart.has("Role")).isFalse();
        assertThat(chart.has("Secret")).isFalse();
        assertThat(chart.one("ClusterRole").path("rules").toString()).doesNotContain("mutatingwebhookconfigurations");
    }

    @Test
    void certManagerWithAnExistingIssuer() {
        RenderedChart chart = RenderedChart.withValues("""
                certificates:
                  certManager:
                    issuerRef:
                      name: corp-ca
                      kind: ClusterIssuer
                """);

        assertThat(chart.has("Issuer")).isFalse();
        assertThat(chart.all("Certificate")).hasSize(1);
        JsonNode issuer = chart.one("Certificate").at("/spec/issuerRef");
        assertThat(issuer.path("name").asText()).isEqualTo("corp-ca");
        assertThat(issuer.path("kind").asText()).isEqualTo("ClusterIssuer");
        assertThat(issuer.path("group").asText()).isEqualTo("cert-manager.io");
    }

    @Test
    void selfManagedNeedsNoCertManager() {
        RenderedChart chart = RenderedChart.withValues(SELF_MANAGED);

        assertThat(chart.kinds()).noneMatch(k -> k.startsWith("Certificate/") || k.startsWith("Issuer/"));
        assertThat(chart.one("MutatingWebhookConfiguration").at("/metadata/annotations").isMissingNode()).isTrue();
        Map<String, String> env = chart.env();
        assertThat(env).containsEntry("NATIVESIDECAR_CERTIFICATES_MODE", "self-managed")
                .containsEntry("NATIVESIDECAR_CERTIFICATES_SECRET_NAME", SECRET)
                .containsEntry("NATIVESIDECAR_CERTIFICATES_SERVICE_NAME", chart.one("Service").at("/metadata/name").asText())
                .containsEntry("NATIVESIDECAR_CERTIFICATES_WEBHOOK_CONFIGURATION",
                        chart.one("MutatingWebhookConfiguration").at("/metadata/name").asText())
                .containsEntry("POD_NAMESPACE", "metadata.namespace")
                .doesNotContainKeys("NATIVESIDECAR_TLS_CERT_FILE", "NATIVESIDECAR_TLS_KEY_FILE");
        assertThat(chart.container().path("volumeMounts").toString()).doesNotContain("/etc/webhook/tls");

        // The Secret: created once (create cannot be limited by name), then only that one is read and updated.
        JsonNode role = chart.one("Role");
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo(RenderedChart.NAMESPACE);
        assertThat(role.path("rules")).hasSize(2);
        JsonNode named = role.at("/rules/0");
        assertThat(texts(named.path("resources"))).containsExactly("secrets");
        assertThat(texts(named.path("resourceNames"))).containsExactly(SECRET);
        assertThat(texts(named.path("verbs"))).containsExactlyInAnyOrder("get", "list", "watch", "update", "patch");
        JsonNode create = role.at("/rules/1");
        assertThat(texts(create.path("resources"))).containsExactly("secrets");
        assertThat(texts(create.path("verbs"))).containsExactly("create");
        assertBoundToTheServiceAccount(chart, chart.one("RoleBinding"), "Role");

        // The webhook configuration: only this chart's, for its caBundle (after nodes and the events' three rules).
        JsonNode clusterRole = chart.one("ClusterRole");
        assertThat(clusterRole.path("rules")).hasSize(5);
        JsonNode nodes = clusterRole.at("/rules/0");
        assertThat(texts(nodes.path("resources"))).containsExactly("nodes");
        assertThat(texts(nodes.path("verbs"))).containsExactlyInAnyOrder("get", "list", "watch");
        JsonNode webhooks = clusterRole.at("/rules/4");
        assertThat(texts(webhooks.path("apiGroups"))).containsExactly("admissionregistration.k8s.io");
        assertThat(texts(webhooks.path("resources"))).containsExactly("mutatingwebhookconfigurations");
        assertThat(texts(webhooks.path("resourceNames"))).containsExactly(RenderedChart.RELEASE);
        assertThat(texts(webhooks.path("verbs"))).containsExactlyInAnyOrder("get", "list", "watch", "patch");
        assertBoundToTheServiceAccount(chart, chart.one("ClusterRoleBinding"), "ClusterRole");
    }

    @Test
    void externalSecretAndCaBundle() {
        RenderedChart chart = RenderedChart.withValues(EXTERNAL);

        assertThat(chart.kinds()).noneMatch(k -> k.startsWith("Certificate/") || k.startsWith("Issuer/"));
        assertThat(chart.has("Role")).isFalse();
        assertMountsSecret(chart, "corp-tls");
        chart.webhooks().values().forEach(w -> assertThat(w.at("/clientConfig/caBundle").asText()).isEqualTo("Q0EgYnVuZGxl"));
        assertThat(chart.one("MutatingWebhookConfiguration").at("/metadata/annotations").isMissingNode()).isTrue();
    }

    @Test
    void externalNeedsBothSecretAndCaBundle() {
        assertThat(RenderedChart.failureFor("certificates:\n  mode: external\n  caBundle: Q0E=\n")).contains("secretName");
        assertThat(RenderedChart.failureFor("certificates:\n  mode: external\n  secretName: corp-tls\n")).contains("caBundle");
        assertThat(RenderedChart.failureFor("certificates:\n  mode: vault\n")).contains("mode");
    }

    @Test
    void nodesAreReadOnlyWhenCheckedAndNotAtAllOtherwise() {
        RenderedChart chart = RenderedChart.withValues("cluster:\n  checkNodes: false\nevents:\n  enabled: false\n");

        assertThat(chart.env()).containsEntry("NATIVESIDECAR_CLUSTER_CHECK_NODES", "false");
        assertThat(chart.has("ClusterRole")).isFalse();
        assertThat(chart.has("ClusterRoleBinding")).isFalse();
        assertThat(RenderedChart.withValues("cluster:\n  checkNodes: false\n" + SELF_MANAGED).one("ClusterRole").path("rules").toString())
                .doesNotContain("nodes");
        assertThat(RenderedChart.withValues("cluster:\n  checkNodes: false\n").one("ClusterRole").path("rules").toString())
                .doesNotContain("nodes").contains("events");
    }

    private static void assertMountsSecret(RenderedChart chart, String secret) {
        JsonNode podSpec = chart.one("Deployment").at("/spec/template/spec");
        assertThat(volume(podSpec, "tls").at("/secret/secretName").asText()).isEqualTo(secret);
        Map<String, String> env = chart.env();
        assertThat(env).containsEntry("NATIVESIDECAR_TLS_CERT_FILE", "/etc/webhook/tls/tls.crt")
                .containsEntry("NATIVESIDECAR_TLS_KEY_FILE", "/etc/webhook/tls/tls.key");
        JsonNode mount = null;
        for (JsonNode m : chart.container().path("volumeMounts")) {
            if (m.path("name").asText().equals("tls")) {
                mount = m;
            }
        }
        assertThat(mount).isNotNull();
        assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/webhook/tls");
        assertThat(mount.path("readOnly").asBoolean()).isTrue();
    }

    private static void assertBoundToTheServiceAccount(RenderedChart chart, JsonNode binding, String roleKind) {
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo(roleKind);
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(chart.one(roleKind).at("/metadata/name").asText());
        assertThat(binding.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(chart.one("ServiceAccount").at("/metadata/name").asText());
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(RenderedChart.NAMESPACE);
    }
}
