package io.nativesidecar.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.testing.ConversionInvariants;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the objects of a cluster for {@link ScanStandIn} and the fabric8 mock server: pods as injectors write them,
 * owned as controllers own them.
 */
final class TestCluster {

    private static final SidecarConverter ENGINE = new SidecarConverter(Configuration.builtIn());

    private TestCluster() {
    }

    static Node node(String name, String kubelet, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().withNewNodeInfo().withKubeletVersion(kubelet).endNodeInfo()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }

    static Namespace namespace(String name, Map<String, String> labels) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .addToLabels("kubernetes.io/metadata.name", name).endMetadata().build();
    }

    /** The chart's own MutatingWebhookConfiguration, as deploy/ installs it. */
    static MutatingWebhookConfiguration installedWebhook() throws Exception {
        for (JsonNode document : ConversionInvariants.documents(Files.readAllBytes(Path.of("deploy/native-sidecar-webhook.yaml")))) {
            if (document.path("kind").asText().equals("MutatingWebhookConfiguration")) {
                return ConversionInvariants.JSON.treeToValue(document, MutatingWebhookConfiguration.class);
            }
        }
        throw new IllegalStateException("no MutatingWebhookConfiguration in deploy/");
    }

    /** Istio's injected "hello" pod, classic (istio-proxy in containers). */
    static Pod istioClassic() throws Exception {
        JsonNode deployment = ConversionInvariants.documents(
                Files.readAllBytes(Path.of("src/test/resources/istio-vectors/old-version/hello.input.yaml"))).get(0);
        Pod pod = ConversionInvariants.JSON.treeToValue(deployment.at("/spec/template"), Pod.class);
        pod.getSpec().setNodeSelector(Map.of("pool", "main"));
        return pod;
    }

    /** The same pod as the webhook converts it. */
    static Pod istioConverted() throws Exception {
        return ENGINE.convert(istioClassic(), ClusterFacts.CURRENT).pod();
    }

    /** A converted pod whose istio-proxy lost restartPolicy to a later webhook. */
    static Pod istioUndone() throws Exception {
        Pod pod = ConversionInvariants.JSON.treeToValue(ConversionInvariants.JSON.valueToTree(istioConverted()), Pod.class);
        for (Container init : pod.getSpec().getInitContainers()) {
            if (init.getName().equals("istio-proxy")) {
                init.setRestartPolicy(null);
            }
        }
        return pod;
    }

    /** A plain pod with no sidecar. */
    static Pod plain() {
        return new PodBuilder().withNewMetadata().withLabels(Map.of("app", "plain")).endMetadata()
                .withNewSpec().withNodeSelector(Map.of("pool", "main"))
                .addNewContainer().withName("app").withImage("ghcr.io/example/app:1").endContainer().endSpec().build();
    }

    /** A pod template for a workload: the pod's metadata and spec, as a controller's template holds them before injection. */
    static PodTemplateSpec template(Pod pod) {
        return new PodTemplateSpecBuilder().withMetadata(new ObjectMetaBuilder(pod.getMetadata()).build())
                .withSpec(pod.getSpec()).build();
    }

    static OwnerReference owner(HasMetadata owner, String kind) {
        return new OwnerReferenceBuilder().withKind(kind).withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid()).withController(true).withApiVersion("v1").build();
    }

    static ObjectMeta meta(String namespace, String name) {
        return new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid(UUID.randomUUID().toString()).build();
    }

    /** A running copy of {@code pod}, named, in a namespace, owned, with extra annotations. */
    static Pod running(Pod pod, String namespace, String name, OwnerReference owner, Map<String, String> annotations) {
        Pod copy = new PodBuilder(pod).build();
        ObjectMeta metadata = new ObjectMetaBuilder(copy.getMetadata() == null ? new ObjectMeta() : copy.getMetadata())
                .withNamespace(namespace).withName(name).withUid(UUID.randomUUID().toString()).build();
        if (owner != null) {
            metadata.setOwnerReferences(List.of(owner));
        }
        if (!annotations.isEmpty()) {
            metadata.setAnnotations(new LinkedHashMap<>(metadata.getAnnotations() == null ? Map.of() : metadata.getAnnotations()));
            metadata.getAnnotations().putAll(annotations);
        }
        copy.setMetadata(metadata);
        copy.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
        copy.getSpec().setNodeName("node-1");
        return copy;
    }

    static PodSpec spec(Pod pod) {
        return pod.getSpec();
    }

    /** Where {@link #seed} puts each object. */
    interface Sink {
        void add(String kind, HasMetadata... items);
    }

    /** What scan must say of each workload {@link #seed} builds, as namespace/kind/name. */
    static final Map<String, String> EXPECTED_STATUSES = Map.ofEntries(
            Map.entry("shop/Deployment/orders", "needs-restart"),
            Map.entry("shop/Deployment/payments", "converted"),
            Map.entry("shop/Deployment/ledger", "broken"),
            Map.entry("shop/Deployment/legacy-app", "blocked"),
            Map.entry("shop/Deployment/fleet", "converted"),
            Map.entry("shop/ReplicaSet/standalone", "no-sidecars"),
            Map.entry("shop/ReplicationController/old-rc", "no-sidecars"),
            Map.entry("shop/Pod/debug-shell", "needs-restart"),
            Map.entry("shop/Job/migrate", "no-sidecars"),
            Map.entry("legacy/Deployment/billing", "not-opted-in"),
            Map.entry("legacy/Deployment/reports", "needs-restart"),
            Map.entry("optout/Deployment/web", "not-opted-in"),
            Map.entry("legacy/Deployment/cli-converted", "needs-restart"),
            Map.entry("legacy/Deployment/cli-idle", "converted"),
            Map.entry("batch/CronJob/nightly", "needs-restart"),
            Map.entry("old/DaemonSet/agents", "blocked"));

    /**
     * A cluster it has never seen: every workload kind, Istio and other sidecars, old and new kubelets,
     * opted-in, opted-out and unlabelled namespaces, converted, classic and broken pods, and a fleet of
     * {@code fleetSize} converted pods (enough to page).
     */
    static void seed(Sink sink, int fleetSize) throws Exception {
        sink.add("Node", node("node-1", "v1.31.2", Map.of("pool", "main")),
                node("node-2", "v1.31.2", Map.of("pool", "main")), node("node-3", "v1.31.2", Map.of("pool", "main")),
                node("old-1", "v1.28.9", Map.of("pool", "old")));
        sink.add("Namespace", namespace("shop", Map.of("nativesidecar.io/enabled", "true")),
                namespace("legacy", Map.of()), namespace("batch", Map.of("nativesidecar.io/enabled", "true")),
                namespace("old", Map.of("nativesidecar.io/enabled", "true")),
                namespace("optout", Map.of("nativesidecar.io/enabled", "false")),
                namespace("kube-system", Map.of()));
        sink.add("MutatingWebhookConfiguration", installedWebhook());

        Pod plain = plain();
        Pod classic = istioClassic();
        deployment(sink, "shop", "orders", plain, Map.of(), List.of(classic, classic));
        deployment(sink, "shop", "payments", plain, Map.of(), List.of(istioConverted(), istioConverted()));
        deployment(sink, "shop", "ledger", plain, Map.of(), List.of(istioUndone(), istioConverted()));
        deployment(sink, "shop", "legacy-app", plain, Map.of("nativesidecar.io/enabled", "false"), List.of(classic));
        Pod[] fleet = new Pod[fleetSize];
        Arrays.fill(fleet, istioConverted());
        deployment(sink, "shop", "fleet", plain, Map.of(), List.of(fleet));

        ReplicaSet standalone = new ReplicaSetBuilder().withMetadata(meta("shop", "standalone"))
                .withNewSpec().withTemplate(template(plain)).endSpec().build();
        sink.add("ReplicaSet", standalone);
        sink.add("Pod", running(plain, "shop", "standalone-x", owner(standalone, "ReplicaSet"), Map.of()));
        sink.add("ReplicationController", new ReplicationControllerBuilder().withMetadata(meta("shop", "old-rc"))
                .withNewSpec().withTemplate(template(plain)).endSpec().build());

        Pod shipper = new PodBuilder(plain).editSpec().addNewContainer().withName("fluent-bit")
                .withImage("cr.fluentbit.io/fluent/fluent-bit:3.1").endContainer().endSpec().build();
        sink.add("Pod", running(shipper, "shop", "debug-shell", null, Map.of("nativesidecar.io/sidecars", "fluent-bit")));

        Job done = new JobBuilder().withMetadata(meta("shop", "migrate")).withNewSpec().withTemplate(template(plain)).endSpec().build();
        sink.add("Job", done);
        Pod finished = running(classic, "shop", "migrate-x", owner(done, "Job"), Map.of());
        finished.getStatus().setPhase("Succeeded");
        sink.add("Pod", finished);

        deployment(sink, "legacy", "billing", plain, Map.of(), List.of(classic));
        deployment(sink, "legacy", "reports", plain, Map.of("nativesidecar.io/enabled", "true"), List.of(classic));
        deployment(sink, "optout", "web", plain, Map.of(), List.of(classic));
        // Templates converted by the convert command: restarted pods are native sidecars, webhook or not.
        deployment(sink, "legacy", "cli-converted", istioConverted(), Map.of(), List.of(classic));
        deployment(sink, "legacy", "cli-idle", istioConverted(), Map.of(), List.of());

        CronJob nightly = new CronJobBuilder().withMetadata(meta("batch", "nightly")).withNewSpec().withSchedule("0 2 * * *")
                .withNewJobTemplate().withNewSpec().withTemplate(template(plain)).endSpec().endJobTemplate().endSpec().build();
        Job run = new JobBuilder().withMetadata(meta("batch", "nightly-29400000"))
                .editMetadata().withOwnerReferences(owner(nightly, "CronJob")).endMetadata()
                .withNewSpec().withTemplate(template(plain)).endSpec().build();
        sink.add("CronJob", nightly);
        sink.add("Job", run);
        sink.add("Pod", running(classic, "batch", "nightly-29400000-x", owner(run, "Job"), Map.of()));

        Pod onOldNodes = new PodBuilder(classic).editSpec().withNodeSelector(Map.of("pool", "old")).endSpec().build();
        var agents = new DaemonSetBuilder().withMetadata(meta("old", "agents")).withNewSpec()
                .withTemplate(template(new PodBuilder(plain).editSpec().withNodeSelector(Map.of("pool", "old")).endSpec().build()))
                .endSpec().build();
        sink.add("DaemonSet", agents);
        Pod onOld = running(onOldNodes, "old", "agents-x", owner(agents, "DaemonSet"), Map.of());
        onOld.getSpec().setNodeName("old-1");
        sink.add("Pod", onOld);
    }

    private static void deployment(Sink sink, String namespace, String name, Pod template, Map<String, String> annotations, List<Pod> pods) {
        Pod annotated = new PodBuilder(template).editMetadata().addToAnnotations(annotations).endMetadata().build();
        Deployment deployment = new DeploymentBuilder().withMetadata(meta(namespace, name)).withNewSpec()
                .withTemplate(template(annotated)).endSpec().build();
        ReplicaSet replicas = new ReplicaSetBuilder().withMetadata(meta(namespace, name + "-5d4f8"))
                .editMetadata().withOwnerReferences(owner(deployment, "Deployment")).endMetadata()
                .withNewSpec().withTemplate(template(annotated)).endSpec().build();
        sink.add("Deployment", deployment);
        sink.add("ReplicaSet", replicas);
        for (int i = 0; i < pods.size(); i++) {
            sink.add("Pod", running(pods.get(i), namespace, name + "-5d4f8-" + i, owner(replicas, "ReplicaSet"), annotations));
        }
    }
}
