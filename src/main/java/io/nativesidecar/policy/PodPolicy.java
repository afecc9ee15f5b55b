package io.nativesidecar.policy;

import io.nativesidecar.report.Finding;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's {@code nativesidecar.io/*} annotations, parsed once. Invalid values are already dropped
 * and recorded in {@link #findings()}. {@link #profiles()} maps container names to profile names,
 * which only the engine can look up.
 */
public record PodPolicy(
        boolean enabled,
        List<String> extraSidecars,
        Set<String> excluded,
        Map<String, Placement> placements,
        Map<String, StartupProbeOverride> startupProbes,
        Map<String, PreStopOverride> preStops,
        Map<String, String> profiles,
        List<Finding> findings) {

    public static final PodPolicy DEFAULT = new PodPolicy(true, List.of(), Set.of(), Map.of(), Map.of(), Map.of(), Map.of(),
            List.of());
}
