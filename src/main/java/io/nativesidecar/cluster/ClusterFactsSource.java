package io.nativesidecar.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.nativesidecar.conversion.ClusterFacts;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the engine may assume about the cluster a pod is headed for. Until {@link ClusterBootstrap}
 * connects it to the API server, it assumes a current cluster, as the contract says for runs
 * without API access.
 */
@ApplicationScoped
public class ClusterFactsSource {

    private volatile NativeSidecarSupport support = new NativeSidecarSupport(ClusterState.withoutApiAccess(), false);

    /** The facts for this pod, from memory: never calls the API server (it runs on the admission path). */
    public ClusterFacts factsFor(Pod pod) {
        return support.factsFor(pod == null ? null : pod.getSpec());
    }

    void use(NativeSidecarSupport support) {
        this.support = support;
    }
}
