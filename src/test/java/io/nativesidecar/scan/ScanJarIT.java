package io.nativesidecar.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nativesidecar.testing.ConversionInvariants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar as users run it, {@code java -jar quarkus-run.jar scan ...} with KUBECONFIG naming a stand-in
 * API server over HTTPS (trusted through the kubeconfig's certificate-authority-data): statuses, paging, GET only,
 * --context, --fail-on, and exit 2 with one line when the cluster is unreachable. No server starts.
 */
class ScanJarIT {

    private static final Path JAR = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"), "quarkus-run.jar");

    @TempDir
    static Path directory;
    private static ScanStandIn cluster;

    private record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void seed() throws Exception {
        cluster = new ScanStandIn("v1.31.2", true);
        TestCluster.seed(cluster::add, 1200);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void scansTheClusterOfTheNamedContext() throws Exception {
        Path kubeconfig = cluster.kubeconfig(directory, "unreachable");
        Run run = jar(kubeconfig, "scan", "--context", "stand-in", "-A", "-o", "json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode report = ConversionInvariants.JSON.readTree(run.out());
        Map<String, String> statuses = new HashMap<>();
        report.path("workloads").forEach(w -> statuses.put(
                w.path("namespace").asText() + "/" + w.path("kind").asText() + "/" + w.path("name").asText(), w.path("status").asText()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(TestCluster.EXPECTED_STATUSES);
        assertThat(report.at("/cluster/apiServerVersion").asText()).isEqualTo("v1.31.2");
        assertThat(cluster.requests()).allSatisfy(request -> assertThat(request).startsWith("GET "))
                .contains("GET /api/v1/pods?continue=1000&limit=500");
        assertThat(run.out() + run.err()).doesNotContain("Listening on").doesNotContain("Quarkus");
    }

    @Test
    void failOnFoundIsExitThree() throws Exception {
        Run run = jar(cluster.kubeconfig(directory, "stand-in"), "scan", "-o", "json", "--fail-on", "broken");
        assertThat(run.exit()).as(run.err()).isEqualTo(3);
        assertThat(run.out()).contains("\"status\" : \"broken\"");
    }

    @Test
    void anUnreachableClusterIsExitTwoWithOneLineAndNothingOnStdout() throws Exception {
        Run run = jar(cluster.kubeconfig(directory, "unreachable"), "scan", "-A");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString().startsWith("scan: cannot read the cluster: ");
    }

    /**
     * 20 pages of Istio pods in a 48 MiB heap: what is read is let go page by page. (Before commands turned library
     * logging off, Quarkus's start-up log handler kept 2 MiB of debug records a page and this ran out of heap.)
     */
    @Test
    void tenThousandPodsFitInASmallHeap() throws Exception {
        try (ScanStandIn large = new ScanStandIn("v1.31.2", true)) {
            large.add("Node", TestCluster.node("node-1", "v1.31.2", Map.of("pool", "main")));
            large.add("Namespace", TestCluster.namespace("shop", Map.of("nativesidecar.io/enabled", "true")));
            large.add("MutatingWebhookConfiguration", TestCluster.installedWebhook());
            ReplicaSet replicas = new ReplicaSetBuilder().withMetadata(TestCluster.meta("shop", "orders-5d4f8"))
                    .withNewSpec().withTemplate(TestCluster.template(TestCluster.plain())).endSpec().build();
            large.add("ReplicaSet", replicas);
            large.addCopies("Pod", TestCluster.running(TestCluster.istioClassic(), "shop", "orders-5d4f8",
                    TestCluster.owner(replicas, "ReplicaSet"), Map.of()), 10_000);
            Path home = Files.createDirectories(directory.resolve("large"));
            Run run = jarWithOptions(List.of("-Xmx48m"), large.kubeconfig(home, "stand-in"), "scan", "-A", "-o", "json");

            assertThat(run.exit()).as(run.err()).isZero();
            JsonNode report = ConversionInvariants.JSON.readTree(run.out());
            assertThat(report.at("/workloads/0/status").asText()).isEqualTo("needs-restart");
            assertThat(report.at("/workloads/0/pods/classic").asInt()).isEqualTo(10_000);
        }
    }

    private static Run jar(Path kubeconfig, String... args) throws IOException, InterruptedException {
        return jarWithOptions(List.of(), kubeconfig, args);
    }

    private static Run jarWithOptions(List<String> jvmOptions, Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        File out = Files.createTempFile(directory, "scan", ".out").toFile();
        File err = Files.createTempFile(directory, "scan", ".err").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().remove("KUBERNETES_SERVICE_HOST");
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("scan did not finish within 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }
}
