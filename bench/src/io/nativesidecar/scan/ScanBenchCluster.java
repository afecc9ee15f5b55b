package io.nativesidecar.scan;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A stand-in API server over HTTPS holding a large cluster, for bench/run-scan.sh: {@code PODS} running pods
 * (default 50,000) in 20 namespaces (every other one opted in), 50 Deployments per namespace each with its
 * ReplicaSet and an equal share of the pods, Istio-injected: a third converted, the rest classic. Four nodes
 * on v1.31.2 and the chart's MutatingWebhookConfiguration. Pods are stored as shared JSON (ScanStandIn.addCopies),
 * so the stand-in's own memory stays small and the scan's heap is the scan's.
 *
 * <p>Usage: {@code ScanBenchCluster PODS DIR}: writes DIR/kubeconfig (current context: the stand-in), then
 * DIR/ready, and serves until its standard input closes. {@code ScanBenchCluster mixed DIR} serves the tests'
 * cluster instead (TestCluster.seed: every status, every workload kind), which the README's scan table shows.
 */
public final class ScanBenchCluster {

    private static final int NAMESPACES = 20;
    private static final int DEPLOYMENTS_PER_NAMESPACE = 50;

    private ScanBenchCluster() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[1]);
        if (args[0].equals("mixed")) {
            try (ScanStandIn cluster = new ScanStandIn("v1.31.2", true)) {
                TestCluster.seed(cluster::add, 20);
                Files.writeString(directory.resolve("cluster.txt"), "the tests' cluster, stand-in " + cluster.url() + "\n");
                serve(cluster, directory);
            }
            return;
        }
        int pods = Integer.parseInt(args[0]);
        try (ScanStandIn cluster = new ScanStandIn("v1.31.2", true)) {
            for (int i = 1; i <= 4; i++) {
                cluster.add("Node", TestCluster.node("node-" + i, "v1.31.2", Map.of("pool", "main")));
            }
            cluster.add("MutatingWebhookConfiguration", TestCluster.installedWebhook());
            Pod plain = TestCluster.plain();
            Pod classic = TestCluster.istioClassic();
            Pod converted = TestCluster.istioConverted();
            int deployments = NAMESPACES * DEPLOYMENTS_PER_NAMESPACE;
            int created = 0;
            for (int n = 0; n < NAMESPACES; n++) {
                String namespace = "team-" + n;
                cluster.add("Namespace", TestCluster.namespace(namespace,
                        n % 2 == 0 ? Map.of("nativesidecar.io/enabled", "true") : Map.of()));
                for (int d = 0; d < DEPLOYMENTS_PER_NAMESPACE; d++) {
                    int index = n * DEPLOYMENTS_PER_NAMESPACE + d;
                    int share = pods / deployments + (index < pods % deployments ? 1 : 0);
                    String name = "app-" + d;
                    Deployment deployment = new DeploymentBuilder().withMetadata(TestCluster.meta(namespace, name))
                            .withNewSpec().withReplicas(share).withTemplate(TestCluster.template(plain)).endSpec().build();
                    ReplicaSet replicas = new ReplicaSetBuilder().withMetadata(TestCluster.meta(namespace, name + "-7c9d6"))
                            .editMetadata().withOwnerReferences(TestCluster.owner(deployment, "Deployment")).endMetadata()
                            .withNewSpec().withTemplate(TestCluster.template(plain)).endSpec().build();
                    cluster.add("Deployment", deployment);
                    cluster.add("ReplicaSet", replicas);
                    Pod pod = TestCluster.running(index % 3 == 0 ? converted : classic, namespace, name + "-7c9d6",
                            TestCluster.owner(replicas, "ReplicaSet"), Map.of());
                    cluster.addCopies("Pod", new PodBuilder(pod).build(), share);
                    created += share;
                }
            }
            Files.writeString(directory.resolve("cluster.txt"), "%d pods, %d Deployments, %d namespaces, stand-in %s%n"
                    .formatted(created, deployments, NAMESPACES, cluster.url()), StandardCharsets.UTF_8);
            serve(cluster, directory);
        }
    }

    private static void serve(ScanStandIn cluster, Path directory) throws Exception {
        cluster.kubeconfig(directory, "stand-in");
        Files.writeString(directory.resolve("ready"), "");
        while (System.in.read() >= 0) {
            // serve until the script closes our standard input
        }
    }
}
