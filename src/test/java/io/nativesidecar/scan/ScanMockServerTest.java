package io.nativesidecar.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.nativesidecar.testing.ConversionInvariants;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scan against the fabric8 mock API server in CRUD mode, seeded through the client as controllers would
 * create the objects. The CRUD mode ignores {@code limit}, so paging is {@link ScanCommandTest}'s to show;
 * this one shows the statuses hold against fabric8's own server, its serialisation and its namespace scoping.
 */
@EnableKubernetesMockClient(crud = true)
class ScanMockServerTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void statusesAgainstTheCrudMockServer() throws Exception {
        server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("31").withGitVersion("v1.31.2").build());
        TestCluster.seed(this::create, 20);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ScanCommand.run(new String[] {"-A", "-o", "json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> client);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();

        JsonNode report = ConversionInvariants.JSON.readTree(out.toString(StandardCharsets.UTF_8));
        Map<String, String> statuses = new HashMap<>();
        report.path("workloads").forEach(w -> statuses.put(
                w.path("namespace").asText() + "/" + w.path("kind").asText() + "/" + w.path("name").asText(), w.path("status").asText()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(TestCluster.EXPECTED_STATUSES);
        assertThat(report.path("cluster").path("webhookInstalled").asBoolean()).isTrue();
        assertThat(report.at("/summary/broken").asInt()).isEqualTo(1);
    }

    private void create(String kind, HasMetadata... items) {
        for (HasMetadata item : items) {
            client.resource(item).create();
        }
    }
}
