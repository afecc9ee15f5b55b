package io.nativesidecar.scan;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.util.List;

/**
 * The baseline of bench/run-scan.sh: what a tool that does not page does (as {@code kubectl get pods -A -o json}
 * does): one list of every pod in the cluster, held whole, through the same fabric8 client and kubeconfig. It only
 * counts the pods and their containers, so all its time and heap are the reading (request timeout raised to
 * 10 minutes: one response of every pod takes longer than fabric8's default 10 s).
 */
public final class UnpagedPodList {

    private UnpagedPodList() {
    }

    public static void main(String[] args) {
        // As the jar's commands do (see Main): no library log records, none kept by Quarkus's start-up handler,
        // which the JBoss log manager on this classpath installs here too.
        org.jboss.logmanager.LogContext.getSystemLogContext().getLogger("").setLevel(java.util.logging.Level.OFF);
        io.quarkus.bootstrap.logging.InitialConfigurator.DELAYED_HANDLER.setHandlers(new java.util.logging.Handler[0]);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(
                new ConfigBuilder(Config.autoConfigure(null)).withRequestTimeout(600_000).build()).build()) {
            List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
            long containers = pods.stream().mapToLong(p -> p.getSpec().getContainers().size()).sum();
            System.out.println(pods.size() + " pods, " + containers + " containers");
        }
    }
}
