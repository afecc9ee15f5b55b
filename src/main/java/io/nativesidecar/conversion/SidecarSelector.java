package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.policy.PodPolicy;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.SidecarProfile;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the containers of a pod that become native sidecars: those a profile converts by default,
 * those with a profile annotation, the configured names and the pod's {@code sidecars} annotation,
 * minus its {@code exclude} annotation, minus those that cannot move.
 */
final class SidecarSelector {

    /** A container to convert and the profile that says how (null: none, the contract's defaults). */
    record Sidecar(Container container, SidecarProfile profile) {
    }

    /** The containers to convert, in pod order, and what was said about the others. */
    record Selection(List<Sidecar> sidecars, List<Finding> findings) {
    }

    private SidecarSelector() {
    }

    static Selection select(PodSpec spec, Map<String, String> annotations, PodPolicy policy, Configuration configuration) {
        List<Container> containers = spec.getContainers() == null ? List.of() : spec.getContainers();
        List<Container> initContainers = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        Set<String> named = new LinkedHashSet<>(configuration.sidecars());
        named.addAll(policy.extraSidecars());
        List<Finding> findings = new ArrayList<>();
        Map<String, SidecarProfile> assigned = assignedProfiles(policy, configuration, findings);

        for (String name : named) {
            if (!containsName(containers, name)) {
                if (isNative(initContainers, name)) {
                    findings.add(Finding.of(Reason.ALREADY_NATIVE, name));
                } else if (policy.extraSidecars().contains(name)) {
                    findings.add(Finding.of(Reason.UNKNOWN_CONTAINER, name));
                }
            }
        }
        for (String name : assigned.keySet()) {
            if (!named.contains(name) && !containsName(containers, name) && !isNative(initContainers, name)) {
                findings.add(Finding.of(Reason.UNKNOWN_CONTAINER, name));
            }
        }
        for (Container init : initContainers) {
            String name = init == null ? null : init.getName();
            if (name != null && !named.contains(name) && "Always".equals(init.getRestartPolicy())) {
                SidecarProfile profile = assigned.containsKey(name) ? assigned.get(name) : configuration.profiles().match(init);
                if (assigned.containsKey(name) || (profile != null && profile.convertByDefault())) {
                    findings.add(Finding.of(Reason.ALREADY_NATIVE, name, profileDetail(profile)));
                }
            }
        }

        // Candidates, then decided most certain first: a pod keeps one regular container, and when it
        // would be a sidecar, the least certain one stays (a Cloud SQL proxy Deployment with an Istio
        // proxy keeps its proxy workload, not Istio's).
        List<Candidate> candidates = new ArrayList<>();
        for (Container container : containers) {
            String name = container == null ? null : container.getName();
            if (name == null) {
                continue;
            }
            SidecarProfile profile = assigned.containsKey(name) ? assigned.get(name) : configuration.profiles().match(container);
            boolean askedFor = policy.extraSidecars().contains(name) || assigned.containsKey(name);
            if (askedFor || named.contains(name) || (profile != null && profile.convertByDefault())) {
                candidates.add(new Candidate(container, profile, askedFor,
                        askedFor || named.contains(name) ? 0 : certainty(container, profile)));
            }
        }
        if (candidates.isEmpty()) {
            return new Selection(List.of(), findings);
        }
        List<Candidate> byCertainty = candidates;
        if (candidates.size() > 1) {
            byCertainty = new ArrayList<>(candidates);
            byCertainty.sort(Comparator.comparingInt(Candidate::rank));
        }
        Set<Container> converting = Collections.newSetFromMap(new IdentityHashMap<>(candidates.size()));
        boolean askedForConverting = false;
        Map<Container, Finding> skipped = new IdentityHashMap<>(candidates.size());
        for (Candidate candidate : byCertainty) {
            Container container = candidate.container();
            String name = container.getName();
            // The pod's own say wins over the platform's list: a pod-level opt-out of the project's native
            // mode holds unless the pod itself names the container for conversion.
            String projectOptOut = candidate.askedFor() ? null : projectOptOut(candidate.profile(), annotations);
            if (policy.excluded().contains(name)) {
                skipped.put(container, Finding.of(Reason.EXCLUDED, name, profileDetail(candidate.profile())));
            } else if (projectOptOut != null) {
                skipped.put(container, Finding.of(Reason.PROJECT_OPTED_OUT, name, projectOptOut));
            } else if (container.getRestartPolicy() != null) {
                skipped.put(container, Finding.of(Reason.RESTART_POLICY_SET, name, "restartPolicy: " + container.getRestartPolicy()));
            } else if (containers.size() - converting.size() - 1 < 1) {
                // A pod needs one regular container. An Istio gateway is istio-proxy alone: it is the
                // workload, and warning on every gateway pod would only be noise. But when a container
                // the pod named took the place, this one stays classic because of it: that is a warning.
                boolean warn = candidate.askedFor() || askedForConverting;
                skipped.put(container, Finding.of(warn ? Reason.LAST_CONTAINER : Reason.STANDALONE_PROXY,
                        name, profileDetail(candidate.profile())));
            } else {
                converting.add(container);
                askedForConverting |= candidate.askedFor();
            }
        }
        List<Sidecar> sidecars = new ArrayList<>(converting.size());
        for (Candidate candidate : candidates) {
            if (converting.contains(candidate.container())) {
                sidecars.add(new Sidecar(candidate.container(), candidate.profile()));
            } else {
                findings.add(skipped.get(candidate.container()));
            }
        }
        return new Selection(sidecars, findings);
    }

    /** A container that may become a sidecar; rank 0 is named, then mesh proxy, name or prefix, image. */
    private record Candidate(Container container, SidecarProfile profile, boolean askedFor, int rank) {
    }

    private static int certainty(Container container, SidecarProfile profile) {
        if (profile.meshProxy()) {
            return 1;
        }
        String name = container.getName();
        if (profile.match().names().contains(name) || profile.match().namePrefixes().stream().anyMatch(name::startsWith)) {
            return 2;
        }
        return 3;
    }

    /** The profiles named by {@code nativesidecar.io/profile.<container>}; an unknown name is a warning. */
    private static Map<String, SidecarProfile> assignedProfiles(PodPolicy policy, Configuration configuration,
                                                                List<Finding> findings) {
        if (policy.profiles().isEmpty()) {
            return Map.of();
        }
        Map<String, SidecarProfile> assigned = new HashMap<>();
        policy.profiles().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            SidecarProfile profile = configuration.profiles().named(entry.getValue());
            if (profile == null) {
                findings.add(Finding.of(Reason.INVALID_ANNOTATION, Annotations.PROFILE_PREFIX + entry.getKey(),
                        "no profile named " + entry.getValue()));
            } else {
                assigned.put(entry.getKey(), profile);
            }
        });
        return assigned;
    }

    /** The project's own annotation that turns its native mode off for this pod ({@code key: false}), or null. */
    private static String projectOptOut(SidecarProfile profile, Map<String, String> annotations) {
        if (profile == null || annotations == null || profile.nativeSidecarAnnotations().isEmpty()) {
            return null;
        }
        for (String key : profile.nativeSidecarAnnotations()) {
            String value = annotations.get(key);
            if (value != null && value.trim().equalsIgnoreCase("false")) {
                return key + ": \"" + value + "\"";
            }
        }
        return null;
    }

    private static String profileDetail(SidecarProfile profile) {
        return profile == null ? null : "profile " + profile.name();
    }

    private static boolean isNative(List<Container> initContainers, String name) {
        return initContainers.stream().anyMatch(c -> c != null && name.equals(c.getName()) && "Always".equals(c.getRestartPolicy()));
    }

    private static boolean containsName(List<Container> containers, String name) {
        return containers.stream().anyMatch(c -> c != null && name.equals(c.getName()));
    }
}
