package io.nativesidecar.conversion;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's configuration: which containers count as sidecars when no annotation says so, and
 * what meshes look like. The server fills it from its configuration, the CLI from its flags.
 *
 * @param sidecars                sidecar container names converted in every opted-in pod
 * @param meshProxies             mesh proxies, placed right after their setup containers
 * @param meshSetupContainers     init containers a mesh proxy depends on, moved to the front in this order
 * @param startupFailureThreshold failureThreshold of added startup probes (with periodSeconds 1: seconds to start)
 * @param profiles                per container name, the startup probe and preStop hook it gets by default
 */
public record ConversionDefaults(
        List<String> sidecars,
        Set<String> meshProxies,
        List<String> meshSetupContainers,
        int startupFailureThreshold,
        Map<String, SidecarProfile> profiles) {

    public ConversionDefaults {
        sidecars = List.copyOf(sidecars);
        meshProxies = Set.copyOf(meshProxies);
        meshSetupContainers = List.copyOf(meshSetupContainers);
        profiles = Map.copyOf(profiles);
        if (startupFailureThreshold < 1) {
            throw new IllegalArgumentException("startupFailureThreshold must be at least 1");
        }
    }

    /** The contract's defaults: istio-proxy is the sidecar; Istio and Linkerd are the meshes. */
    public static ConversionDefaults standard() {
        return new ConversionDefaults(
                List.of("istio-proxy"),
                Set.of("istio-proxy", "linkerd-proxy"),
                List.of("istio-init", "istio-validation", "linkerd-init", "linkerd-network-validator"),
                600,
                Map.of("istio-proxy", SidecarProfile.ISTIO_PROXY));
    }

    public ConversionDefaults withSidecars(List<String> names) {
        return new ConversionDefaults(names, meshProxies, meshSetupContainers, startupFailureThreshold, profiles);
    }
}
