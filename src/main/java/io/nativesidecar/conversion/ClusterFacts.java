package io.nativesidecar.conversion;

/**
 * What the engine needs to know about the cluster a pod is headed for.
 *
 * @param nativeSidecarsSupported whether every kubelet the pod may land on and the API server run native sidecars
 * @param unsupportedDetail       why not, for the warning (null when supported)
 * @param sleepActionSupported    whether the API server accepts {@code lifecycle.preStop.sleep} (1.30+)
 */
public record ClusterFacts(boolean nativeSidecarsSupported, String unsupportedDetail, boolean sleepActionSupported) {

    /** A current cluster: what the CLI and a server without API access assume. */
    public static final ClusterFacts CURRENT = new ClusterFacts(true, null, true);

    public static ClusterFacts unsupported(String detail) {
        return new ClusterFacts(false, detail, false);
    }
}
