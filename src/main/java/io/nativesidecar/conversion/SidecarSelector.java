package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.nativesidecar.policy.PodPolicy;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the containers of a pod that become native sidecars: the configured names plus the pod's
 * {@code sidecars} annotation, minus its {@code exclude} annotation, minus those that cannot move.
 */
final class SidecarSelector {

    /** The containers to convert, in pod order, and what was said about the others. */
    record Selection(List<Container> sidecars, List<Finding> findings) {
    }

    private SidecarSelector() {
    }

    static Selection select(PodSpec spec, PodPolicy policy, ConversionDefaults defaults) {
        List<Container> containers = spec.getContainers() == null ? List.of() : spec.getContainers();
        List<Container> initContainers = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        Set<String> wanted = new LinkedHashSet<>(defaults.sidecars());
        wanted.addAll(policy.extraSidecars());
        List<Finding> findings = new ArrayList<>();

        for (String name : wanted) {
            if (containsName(containers, name)) {
                if (policy.excluded().contains(name)) {
                    findings.add(Finding.of(Reason.EXCLUDED, name));
                }
            } else if (initContainers.stream().anyMatch(c -> name.equals(c.getName()) && "Always".equals(c.getRestartPolicy()))) {
                findings.add(Finding.of(Reason.ALREADY_NATIVE, name));
            } else if (policy.extraSidecars().contains(name)) {
                findings.add(Finding.of(Reason.UNKNOWN_CONTAINER, name));
            }
        }

        List<Container> sidecars = new ArrayList<>();
        for (Container container : containers) {
            String name = container == null ? null : container.getName();
            if (name == null || !wanted.contains(name) || policy.excluded().contains(name)) {
                continue;
            }
            if (container.getRestartPolicy() != null) {
                findings.add(Finding.of(Reason.RESTART_POLICY_SET, name, "restartPolicy: " + container.getRestartPolicy()));
            } else if (containers.size() - sidecars.size() - 1 < 1) {
                // A pod needs one regular container. An Istio gateway is istio-proxy alone: it is the
                // workload, and warning on every gateway pod would only be noise.
                boolean askedFor = policy.extraSidecars().contains(name);
                findings.add(Finding.of(askedFor ? Reason.LAST_CONTAINER : Reason.STANDALONE_PROXY, name));
            } else {
                sidecars.add(container);
            }
        }
        return new Selection(sidecars, findings);
    }

    private static boolean containsName(List<Container> containers, String name) {
        return containers.stream().anyMatch(c -> c != null && name.equals(c.getName()));
    }
}
