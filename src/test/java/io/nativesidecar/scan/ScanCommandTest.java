package io.nativesidecar.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.nativesidecar.testing.ConversionInvariants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scan against a stand-in API server holding a cluster it has never seen: every workload kind, Istio and
 * other sidecars, old and new kubelets, opted-in, opted-out and unlabelled namespaces, converted,
 * classic and broken pods, and enough pods to page.
 */
class ScanCommandTest {

    private static ScanStandIn cluster;

    private record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return ConversionInvariants.JSON.readTree(out);
        }
    }

    @BeforeAll
    static void seed() throws Exception {
        cluster = new ScanStandIn("v1.31.2");
        TestCluster.seed(cluster::add, 1200);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Run scan(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ScanCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                () -> client(cluster.url()));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static KubernetesClient client(String url) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(url).withNamespace("default")
                .withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build()).build();
    }

    private static Map<String, JsonNode> byWorkload(JsonNode report) {
        Map<String, JsonNode> workloads = new HashMap<>();
        report.path("workloads").forEach(w -> workloads.put(
                w.path("namespace").asText() + "/" + w.path("kind").asText() + "/" + w.path("name").asText(), w));
        return workloads;
    }

    @Test
    void everyWorkloadGetsItsStatus() throws Exception {
        Run run = scan("-A", "-o", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode report = run.json();
        Map<String, JsonNode> workloads = byWorkload(report);
        Map<String, String> statuses = new HashMap<>();
        workloads.forEach((key, w) -> statuses.put(key, w.path("status").asText()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(TestCluster.EXPECTED_STATUSES);

        JsonNode orders = workloads.get("shop/Deployment/orders");
        assertThat(orders.path("pods").toString()).isEqualTo("{\"total\":2,\"converted\":0,\"classic\":2,\"broken\":0}");
        assertThat(orders.at("/sidecars/0").toString())
                .isEqualTo("{\"name\":\"istio-proxy\",\"profile\":\"istio-proxy\",\"outcome\":\"converts\",\"reason\":null}");
        assertThat(orders.at("/effectiveRequests/before/cpu").asText()).endsWith("m");
        assertThat(workloads.get("shop/Deployment/fleet").path("pods").path("converted").asInt()).isEqualTo(1200);
        assertThat(workloads.get("shop/Deployment/ledger").path("reason").asText()).contains("istio-proxy");
        assertThat(workloads.get("shop/Deployment/ledger").at("/pods/broken").asInt()).isEqualTo(1);
        assertThat(workloads.get("old/DaemonSet/agents").path("reason").asText()).contains("kubelet v1.28.9");
        assertThat(workloads.get("shop/Deployment/legacy-app").path("reason").asText()).contains("opted out");
        assertThat(workloads.get("legacy/Deployment/billing").path("reason").asText())
                .contains("not sent its pods: label namespace legacy nativesidecar.io/enabled=true");
        assertThat(workloads.get("optout/Deployment/web").path("reason").asText())
                .isEqualTo("the webhook is not sent its pods: namespace optout is labelled nativesidecar.io/enabled=false");
        assertThat(workloads.get("legacy/Deployment/cli-converted").path("reason").asText())
                .isEqualTo("1 of 1 running pods predate the converted template");
        assertThat(workloads.get("shop/Job/migrate").at("/pods/total").asInt()).isZero();

        assertThat(report.path("cluster").toString()).isEqualTo(
                "{\"apiServerVersion\":\"v1.31.2\",\"kubeletVersions\":{\"v1.28.9\":1,\"v1.31.2\":3},\"webhookInstalled\":true}");
        assertThat(report.at("/summary/needs-restart").asInt()).isEqualTo(5);
        assertThat(workloads.get("old/DaemonSet/agents").at("/sidecars/0/outcome").asText()).isEqualTo("blocked");
        assertThat(report.at("/summary/converted").asInt()).isEqualTo(3);
    }

    @Test
    void readsPageByPageAndOnlyReads() {
        int before = cluster.requests().size();
        assertThat(scan("-A", "-o", "json").exit()).isZero();
        List<String> requests = cluster.requests().subList(before, cluster.requests().size());
        assertThat(requests).allSatisfy(request -> assertThat(request).startsWith("GET "));
        assertThat(requests).filteredOn(r -> r.startsWith("GET /api/v1/pods")).extracting(r -> r.replaceAll(".*\\?", "?"))
                .containsExactly("?limit=500", "?continue=500&limit=500", "?continue=1000&limit=500");
        assertThat(requests).filteredOn(r -> !r.startsWith("GET /version")).allSatisfy(r -> assertThat(r).contains("limit=500"));
    }

    @Test
    void oneNamespaceIsReadAsOneNamespace() throws Exception {
        Run run = scan("-n", "legacy", "-o", "yaml");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode report = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(run.out());
        assertThat(byWorkload(report).keySet()).containsExactlyInAnyOrder("legacy/Deployment/billing", "legacy/Deployment/reports",
                "legacy/Deployment/cli-converted", "legacy/Deployment/cli-idle");
        assertThat(cluster.requests()).contains("GET /api/v1/namespaces/legacy/pods?limit=500", "GET /api/v1/namespaces/legacy");
    }

    @Test
    void theTableGroupsByNamespaceAndSums() {
        Run run = scan();
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Cluster: API server v1.31.2; kubelets v1.28.9 (1), v1.31.2 (3); webhook installed\n")
                .contains("\nNamespace shop\n").contains("Deployment/orders").contains("needs-restart")
                .contains("\nSummary: converted 3, needs-restart 5, not-opted-in 2, blocked 2, broken 1, no-sidecars 3 (16 workloads)\n")
                .contains("Effective requests when every classic pod is converted: ");
    }

    @Test
    void failOnIsAGate() {
        assertThat(scan("-o", "json", "--fail-on", "broken,not-opted-in").exit()).isEqualTo(3);
        assertThat(scan("-o", "json", "--fail-on", "no-such-status").exit()).isEqualTo(1);
        assertThat(scan("-n", "shop", "-A").exit()).isEqualTo(1);
        Run only = scan("-n", "batch", "-o", "json", "--fail-on", "broken");
        assertThat(only.exit()).as(only.err()).isZero();
    }

    @Test
    void anUnreachableClusterIsExitTwoWithOneLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ScanCommand.run(new String[] {"-o", "json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> client("http://127.0.0.1:1"));
        assertThat(exit).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("scan: cannot read the cluster: ").hasLineCount(1);
    }
}
