package io.nativesidecar.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.events.WorkloadEvents;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Connects the server to the cluster at start-up when there is an API to ask (the version watcher, and the
 * Events on workloads when enabled), and reports
 * readiness only once the versions that gate conversion are known. Without API access it warns
 * once and lets the engine assume a cluster that runs native sidecars.
 */
@Readiness
@ApplicationScoped
public class ClusterBootstrap implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ClusterBootstrap.class);

    private final WebhookConfig config;
    private final ClusterFactsSource facts;
    private final Instance<KubernetesClient> client;
    private final Optional<String> apiServerUrl;
    private final WorkloadEvents events;
    private volatile ClusterState state = ClusterState.withoutApiAccess();
    private volatile ClusterWatcher watcher;

    public ClusterBootstrap(WebhookConfig config, ClusterFactsSource facts, Instance<KubernetesClient> client,
                            @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url") Optional<String> apiServerUrl,
                            WorkloadEvents events) {
        this.config = config;
        this.events = events;
        this.facts = facts;
        this.client = client;
        this.apiServerUrl = apiServerUrl;
    }

    void start(@Observes StartupEvent started) {
        WebhookConfig.Cluster cluster = config.cluster();
        if (cluster.access() == WebhookConfig.Cluster.Access.NONE
                || !ApiAccess.available(apiServerUrl, System.getenv(), Path.of(System.getProperty("user.home", "/")))) {
            if (cluster.access() != WebhookConfig.Cluster.Access.NONE) {
                LOG.warn("No Kubernetes API access (no in-cluster credentials, no kubeconfig): assuming the cluster "
                        + "runs native sidecars (Kubernetes 1.29+ everywhere).");
            }
            return;
        }
        state = ClusterState.fromApi();
        facts.use(new NativeSidecarSupport(state, cluster.checkNodes()));
        watcher = new ClusterWatcher(client.get(), state, cluster.checkNodes(), cluster.versionRefresh());
        watcher.start();
        events.start(client.get());
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("cluster-versions");
        if (!state.apiAccess()) {
            return response.up().withData("assumed", "no API access: native sidecars assumed supported").build();
        }
        boolean known = state.apiServer() != null && (watcher == null || watcher.nodesSynced());
        response.status(known);
        if (state.apiServer() != null) {
            response.withData("apiServer", state.apiServerGitVersion());
        }
        return response.withData("nodes", state.nodes().size()).build();
    }
}
