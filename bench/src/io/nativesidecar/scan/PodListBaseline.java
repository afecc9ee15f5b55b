package io.nativesidecar.scan;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.bootstrap.logging.InitialConfigurator;
import org.jboss.logmanager.LogContext;

import java.util.logging.Handler;
import java.util.logging.Level;

/**
 * The baselines of bench/run-scan.sh: reading every pod of the cluster through the same fabric8 client and
 * kubeconfig, and doing nothing with them but counting containers, so all the time and heap are the reading.
 * <ul>
 *   <li>{@code paged}: in pages of 500 as scan reads them: the floor under scan's time (scan = this + judging);</li>
 *   <li>{@code unpaged}: one list of every pod, as a tool that does not page does ({@code kubectl get pods -A}).</li>
 * </ul>
 */
public final class PodListBaseline {

    private PodListBaseline() {
    }

    public static void main(String[] args) {
        // As the jar's commands do (see Main): no library log records, none kept by Quarkus's start-up handler,
        // which the JBoss log manager on this classpath installs here too.
        LogContext.getSystemLogContext().getLogger("").setLevel(Level.OFF);
        InitialConfigurator.DELAYED_HANDLER.setHandlers(new Handler[0]);
        // One response of every pod takes longer than fabric8's default 10 s.
        Config config = new ConfigBuilder(Config.autoConfigure(null)).withRequestTimeout(600_000).build();
        long pods = 0;
        long containers = 0;
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            if (args[0].equals("unpaged")) {
                for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
                    pods++;
                    containers += pod.getSpec().getContainers().size();
                }
            } else {
                String next = null;
                do {
                    PodList page = client.pods().inAnyNamespace().list(new ListOptionsBuilder().withLimit(ClusterReader.PAGE)
                            .withContinue(next).build());
                    for (Pod pod : page.getItems()) {
                        pods++;
                        containers += pod.getSpec().getContainers().size();
                    }
                    next = page.getMetadata().getContinue();
                } while (next != null && !next.isEmpty());
            }
        }
        System.out.println(pods + " pods, " + containers + " containers");
        // As the jar's commands do: the client's event-loop threads would otherwise keep the JVM up.
        System.exit(0);
    }
}
