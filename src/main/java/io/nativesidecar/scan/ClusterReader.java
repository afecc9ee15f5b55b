package io.nativesidecar.scan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.MixedOperation;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads the cluster for {@code scan}: gets and lists only, every list paged (500 items a page,
 * following {@code continue}), so that a cluster of any size is never held in memory at once.
 */
final class ClusterReader {

    static final long PAGE = 500;

    private final KubernetesClient client;
    private final String namespace;
    private final Progress progress;

    /** @param namespace the one namespace to read, or null for all */
    ClusterReader(KubernetesClient client, String namespace, Progress progress) {
        this.client = client;
        this.namespace = namespace;
        this.progress = progress;
    }

    /** A line on a terminal, rewritten as a list goes on; nothing elsewhere. */
    interface Progress {
        void listed(String what, long count);

        Progress NONE = (what, count) -> {
        };

        static Progress on(PrintStream terminal) {
            return (what, count) -> {
                terminal.print("\r\033[K" + (count < 0 ? "" : "scan: " + what + " " + count));
                terminal.flush();
            };
        }
    }

    String apiServerVersion() {
        return client.getKubernetesVersion().getGitVersion();
    }

    void nodes(Consumer<Node> each) {
        pages("nodes", client.nodes()::list, each);
    }

    /** The labels of the namespaces read, by name. */
    Map<String, Map<String, String>> namespaces() {
        Map<String, Map<String, String>> labels = new HashMap<>();
        if (namespace != null) {
            Namespace one = client.namespaces().withName(namespace).get();
            labels.put(namespace, one == null || one.getMetadata().getLabels() == null ? Map.of() : one.getMetadata().getLabels());
            return labels;
        }
        pages("namespaces", client.namespaces()::list,
                n -> labels.put(n.getMetadata().getName(), n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels()));
        return labels;
    }

    List<MutatingWebhookConfiguration> webhookConfigurations() {
        List<MutatingWebhookConfiguration> configurations = new ArrayList<>();
        pages("webhook configurations", client.admissionRegistration().v1().mutatingWebhookConfigurations()::list,
                configurations::add);
        return configurations;
    }

    void deployments(Consumer<Deployment> each) {
        namespaced("deployments", client.apps().deployments(), each);
    }

    void statefulSets(Consumer<StatefulSet> each) {
        namespaced("statefulsets", client.apps().statefulSets(), each);
    }

    void daemonSets(Consumer<DaemonSet> each) {
        namespaced("daemonsets", client.apps().daemonSets(), each);
    }

    void replicaSets(Consumer<ReplicaSet> each) {
        namespaced("replicasets", client.apps().replicaSets(), each);
    }

    void replicationControllers(Consumer<ReplicationController> each) {
        namespaced("replicationcontrollers", client.replicationControllers(), each);
    }

    void jobs(Consumer<Job> each) {
        namespaced("jobs", client.batch().v1().jobs(), each);
    }

    void cronJobs(Consumer<CronJob> each) {
        namespaced("cronjobs", client.batch().v1().cronjobs(), each);
    }

    void pods(Consumer<Pod> each) {
        namespaced("pods", client.pods(), each);
    }

    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void namespaced(
            String what, MixedOperation<T, L, ?> operation, Consumer<T> each) {
        AnyNamespaceOperation<T, L, ?> scope = namespace == null ? operation.inAnyNamespace() : operation.inNamespace(namespace);
        pages(what, scope::list, each);
    }

    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void pages(String what, Function<ListOptions, L> list,
                                                                                   Consumer<T> each) {
        String next = null;
        long count = 0;
        try {
            do {
                L page = list.apply(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
                for (T item : page.getItems()) {
                    each.accept(item);
                }
                count += page.getItems().size();
                progress.listed(what, count);
                next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            } while (next != null && !next.isEmpty());
        } finally {
            // Cleared on failure too, so that an error is a line of its own.
            progress.listed(what, -1);
        }
    }
}
