package io.nativesidecar.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.nativesidecar.conversion.ClusterFacts;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the engine may assume about the cluster a pod is headed for. Without knowledge of the
 * cluster it assumes a current one, as the contract says for runs without API access.
 */
@ApplicationScoped
public class ClusterFactsSource {

    /** The facts for this pod; must not call the API server (it runs on the admission path). */
    public ClusterFacts factsFor(Pod pod) {
        return ClusterFacts.CURRENT;
    }
}
