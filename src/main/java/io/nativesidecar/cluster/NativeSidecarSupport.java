package io.nativesidecar.cluster;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.nativesidecar.conversion.ClusterFacts;

import java.util.Comparator;
import java.util.List;

/**
 * Decides whether a pod may get native sidecars: the API server must be 1.29 or later, and so must
 * every kubelet the pod may run on. A native sidecar on an older kubelet is an init container that
 * never exits, and the pod hangs in Init. Unknown facts mean no conversion: a pod left classic
 * still runs everywhere.
 */
public final class NativeSidecarSupport {

    private final ClusterState state;
    private final boolean checkNodes;

    public NativeSidecarSupport(ClusterState state, boolean checkNodes) {
        this.state = state;
        this.checkNodes = checkNodes;
    }

    public ClusterFacts factsFor(PodSpec spec) {
        return factsFor(spec, true);
    }

    /**
     * The facts for a pod like this one created anew, as a restart creates it: not yet scheduled, so
     * any node its selectors allow may get it, whatever node the running one is on.
     */
    public ClusterFacts factsForRecreated(PodSpec spec) {
        return factsFor(spec, false);
    }

    private ClusterFacts factsFor(PodSpec spec, boolean byNodeName) {
        if (!state.apiAccess()) {
            return ClusterFacts.CURRENT;
        }
        KubernetesVersion apiServer = state.apiServer();
        if (apiServer == null) {
            return ClusterFacts.unsupported("the API server's version is not known yet");
        }
        if (!apiServer.atLeast(KubernetesVersion.NATIVE_SIDECARS)) {
            return ClusterFacts.unsupported("API server " + state.apiServerGitVersion() + " is older than 1.29");
        }
        boolean sleepAction = apiServer.atLeast(KubernetesVersion.SLEEP_ACTION);
        if (!checkNodes) {
            return new ClusterFacts(true, null, sleepAction);
        }
        if (!state.nodesSynced()) {
            return ClusterFacts.unsupported("the cluster's nodes are not known yet");
        }
        List<NodeFacts> candidates = NodeSelection.candidates(spec, state.nodes(), byNodeName);
        NodeFacts unknown = candidates.stream().filter(n -> n.kubelet() == null).findFirst().orElse(null);
        if (unknown != null) {
            return ClusterFacts.unsupported("node " + unknown.name() + " reports no kubelet version");
        }
        NodeFacts oldest = candidates.stream().min(Comparator.comparing(NodeFacts::kubelet)).orElse(null);
        if (oldest == null) {
            return new ClusterFacts(true, null, sleepAction);
        }
        if (!oldest.kubelet().atLeast(KubernetesVersion.NATIVE_SIDECARS)) {
            return ClusterFacts.unsupported("kubelet " + oldest.kubeletVersion() + " on node " + oldest.name()
                    + (candidates.size() > 1 ? ", oldest of " + candidates.size() + " nodes the pod may use" : ""));
        }
        // The kubelet runs the hook: an API server that accepts the sleep action is not enough.
        return new ClusterFacts(true, null, sleepAction && oldest.kubelet().atLeast(KubernetesVersion.SLEEP_ACTION));
    }
}
