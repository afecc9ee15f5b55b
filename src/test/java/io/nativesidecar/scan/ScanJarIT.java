package io.nativesidecar.scan;

import com.fasterxml.jackson.databind.JsonNode;
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

    private static Run jar(Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
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
