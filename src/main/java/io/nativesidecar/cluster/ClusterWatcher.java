package io.nativesidecar.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@link ClusterState} current: the API server's version at start and then periodically, and
 * every node's kubelet version and readiness through a shared informer (one list, then a watch).
 * Errors are logged and retried; they never clear what is already known.
 */
public final class ClusterWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterWatcher.class);

    private final KubernetesClient client;
    private final ClusterState state;
    private final boolean watchNodes;
    private final Duration versionRefresh;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cluster-version");
        thread.setDaemon(true);
        return thread;
    });
    private SharedIndexInformer<Node> informer;

    public ClusterWatcher(KubernetesClient client, ClusterState state, boolean watchNodes, Duration versionRefresh) {
        this.client = client;
        this.state = state;
        this.watchNodes = watchNodes;
        this.versionRefresh = versionRefresh;
    }

    public void start() {
        // Off the caller's thread: an unreachable API server must not hold up start-up (readiness waits instead).
        long period = Math.max(1, versionRefresh.toMillis());
        scheduler.scheduleWithFixedDelay(this::refreshVersion, 0, period, TimeUnit.MILLISECONDS);
        if (watchNodes) {
            informer = client.nodes().runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Node node) {
                    state.nodeChanged(NodeFacts.of(node));
                }

                @Override
                public void onUpdate(Node before, Node node) {
                    state.nodeChanged(NodeFacts.of(node));
                }

                @Override
                public void onDelete(Node node, boolean finalStateUnknown) {
                    state.nodeRemoved(node.getMetadata() == null ? null : node.getMetadata().getName());
                }
            });
            informer.exceptionHandler((started, failure) -> {
                LOG.warnf("watching nodes failed, retrying (last known nodes are kept): %s", failure.getMessage());
                return true;
            });
            informer.start().whenComplete((ignored, failure) -> {
                if (failure == null) {
                    state.nodesSynced(true);
                    LOG.infof("watching %d nodes", state.nodes().size());
                }
            });
        }
    }

    /** Also true once the informer has listed the nodes; until then conversions wait. */
    public boolean nodesSynced() {
        return !watchNodes || state.nodesSynced() || (informer != null && informer.hasSynced() && markSynced());
    }

    private boolean markSynced() {
        state.nodesSynced(true);
        return true;
    }

    void refreshVersion() {
        try {
            VersionInfo version = client.getKubernetesVersion();
            KubernetesVersion parsed = KubernetesVersion.of(version.getMajor(), version.getMinor(), version.getGitVersion());
            if (parsed == null) {
                LOG.warnf("the API server reports an unreadable version (major %s, minor %s, gitVersion %s)",
                        version.getMajor(), version.getMinor(), version.getGitVersion());
                return;
            }
            if (!parsed.equals(state.apiServer())) {
                LOG.infof("API server version %s", version.getGitVersion());
            }
            state.apiServer(parsed, version.getGitVersion() == null ? "v" + parsed : version.getGitVersion());
        } catch (RuntimeException e) {
            LOG.warnf("reading the API server's version failed (%s); %s", e.getMessage(),
                    state.apiServer() == null ? "no conversion until it is known" : "keeping " + state.apiServerGitVersion());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (informer != null) {
            informer.close();
        }
    }
}
