package io.nativesidecar.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is currently known about the cluster, kept in memory by {@link ClusterWatcher} so that the
 * admission path never calls the API server. After a successful start, API errors leave the last
 * known facts in place.
 */
public final class ClusterState {

    private final boolean apiAccess;
    private volatile KubernetesVersion apiServer;
    private volatile String apiServerGitVersion;
    private final Map<String, NodeFacts> nodes = new ConcurrentHashMap<>();
    private volatile boolean nodesSynced;

    private ClusterState(boolean apiAccess) {
        this.apiAccess = apiAccess;
    }

    /** No Kubernetes API to ask (local runs, tests): native sidecars are assumed to work. */
    public static ClusterState withoutApiAccess() {
        return new ClusterState(false);
    }

    /** Facts come from the API server; until they do, nothing is assumed. */
    public static ClusterState fromApi() {
        return new ClusterState(true);
    }

    public boolean apiAccess() {
        return apiAccess;
    }

    public KubernetesVersion apiServer() {
        return apiServer;
    }

    public String apiServerGitVersion() {
        return apiServerGitVersion;
    }

    public void apiServer(KubernetesVersion version, String gitVersion) {
        this.apiServer = version;
        this.apiServerGitVersion = gitVersion;
    }

    /** The nodes by name: a live view, read without locking. */
    public Map<String, NodeFacts> nodes() {
        return nodes;
    }

    public void nodeChanged(NodeFacts node) {
        if (node.name() != null) {
            nodes.put(node.name(), node);
        }
    }

    public void nodeRemoved(String name) {
        if (name != null) {
            nodes.remove(name);
        }
    }

    public boolean nodesSynced() {
        return nodesSynced;
    }

    public void nodesSynced(boolean synced) {
        this.nodesSynced = synced;
    }
}
