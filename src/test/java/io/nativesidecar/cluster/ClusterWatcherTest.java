package io.nativesidecar.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The watcher against the fabric8 mock API server (CRUD mode plus /version expectations). */
@EnableKubernetesMockClient(crud = true)
class ClusterWatcherTest {

    KubernetesMockServer server;
    KubernetesClient client;
    private ClusterWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void learnsVersionsAndFollowsNodeChanges() throws Exception {
        version("1", "30", "v1.30.2");
        client.nodes().resource(Nodes.node("a", "v1.30.2", true)).create();
        client.nodes().resource(Nodes.node("b", "v1.28.9", true)).create();
        ClusterState state = ClusterState.fromApi();
        NativeSidecarSupport support = new NativeSidecarSupport(state, true);

        watcher = new ClusterWatcher(client, state, true, Duration.ofMinutes(5));
        watcher.start();
        await(() -> state.apiServer() != null && watcher.nodesSynced() && state.nodes().size() == 2);

        assertThat(state.apiServer()).isEqualTo(new KubernetesVersion(1, 30));
        assertThat(support.factsFor(pod()).nativeSidecarsSupported()).isFalse();

        // The old node is upgraded: the watch brings the new kubelet version.
        Node upgraded = Nodes.node("b", "v1.30.2", true);
        client.nodes().resource(upgraded).update();
        await(() -> support.factsFor(pod()).nativeSidecarsSupported());
        client.nodes().withName("a").delete();
        await(() -> state.nodes().size() == 1);
    }

    @Test
    void anApiThatGoesAwayLeavesTheLastKnownFacts() throws Exception {
        version("1", "31", "v1.31.0");
        client.nodes().resource(Nodes.node("a", "v1.31.0", true)).create();
        ClusterState state = ClusterState.fromApi();
        watcher = new ClusterWatcher(client, state, true, Duration.ofMillis(200));
        watcher.start();
        await(() -> state.apiServer() != null && watcher.nodesSynced() && state.nodes().size() == 1);

        server.destroy();
        Thread.sleep(1_000); // several failed version refreshes and a broken watch

        assertThat(state.apiServer()).isEqualTo(new KubernetesVersion(1, 31));
        assertThat(state.nodes()).containsOnlyKeys("a");
        assertThat(new NativeSidecarSupport(state, true).factsFor(pod()).nativeSidecarsSupported()).isTrue();
    }

    @Test
    void anUnreachableApiAtStartMeansNoConversionYet() {
        server.destroy();
        ClusterState state = ClusterState.fromApi();
        watcher = new ClusterWatcher(client, state, true, Duration.ofMinutes(5));
        watcher.start();
        assertThat(watcher.nodesSynced()).isFalse();
        assertThat(new NativeSidecarSupport(state, true).factsFor(pod()).nativeSidecarsSupported()).isFalse();
    }

    @Test
    void apiAccessIsDetectedFromKubeconfigOrInClusterCredentials(@TempDir Path home) throws Exception {
        assertThat(ApiAccess.available(Optional.empty(), Map.of(), home)).isFalse();
        assertThat(ApiAccess.available(Optional.of("https://10.0.0.1"), Map.of(), home)).isTrue();
        Path kubeconfig = Files.writeString(home.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        assertThat(ApiAccess.available(Optional.empty(), Map.of("KUBECONFIG", kubeconfig.toString()), home)).isTrue();
        assertThat(ApiAccess.available(Optional.empty(), Map.of("KUBECONFIG", home.resolve("absent").toString()), home)).isFalse();
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\n");
        assertThat(ApiAccess.available(Optional.empty(), Map.of(), home)).isTrue();
    }

    private void version(String major, String minor, String gitVersion) {
        server.setVersionInfo(new VersionInfo.Builder().withMajor(major).withMinor(minor).withGitVersion(gitVersion).build());
    }

    private static io.fabric8.kubernetes.api.model.PodSpec pod() {
        return new PodSpecBuilder().addNewContainer().withName("app").endContainer().build();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition within 15 s").isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
