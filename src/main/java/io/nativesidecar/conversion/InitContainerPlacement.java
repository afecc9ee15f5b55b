package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.policy.Placement;
import io.nativesidecar.profile.Profiles;
import io.nativesidecar.profile.SidecarProfile;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides where converted sidecars go among the init containers. Init containers start in list
 * order, so this is the start-up order: a mesh proxy must run right after the setup containers
 * that program its traffic redirection and before anything that needs the network; other sidecars
 * keep starting after the init containers that ran before them as classic sidecars.
 */
final class InitContainerPlacement {

    /** A converted sidecar, the placement its annotation asks for (null: the default) and its profile (or null). */
    record Sidecar(Container container, Placement placement, SidecarProfile profile) {
    }

    /** The new init container list and what went wrong with placement annotations. */
    record Result(List<Container> initContainers, List<Finding> findings) {
    }

    private InitContainerPlacement() {
    }

    static Result place(List<Container> existing, List<Sidecar> sidecars, Profiles profiles) {
        List<Finding> findings = new ArrayList<>();
        Set<String> existingNames = new HashSet<>();
        existing.forEach(c -> existingNames.add(c.getName()));
        List<Sidecar> resolved = new ArrayList<>(sidecars.size());
        for (Sidecar sidecar : sidecars) {
            Placement placement = sidecar.placement();
            if (placement != null && placement.kind() == Placement.Kind.AFTER && !existingNames.contains(placement.anchor())) {
                findings.add(Finding.of(Reason.UNKNOWN_ANCHOR,
                        Annotations.PLACEMENT_PREFIX + sidecar.container().getName(), placement.toString()));
                placement = null;
            }
            resolved.add(new Sidecar(sidecar.container(), placement == null ? defaultPlacement(sidecar.profile()) : placement,
                    sidecar.profile()));
        }

        // Whatever its own placement, a converted mesh proxy needs its setup containers (iptables
        // redirection, CNI validation) first: anything after them and before the proxy has no network.
        boolean meshProxyMoves = resolved.stream().anyMatch(InitContainerPlacement::isMeshProxy);
        List<Container> front = new ArrayList<>();
        List<Container> rest = new ArrayList<>();
        if (meshProxyMoves) {
            for (Container init : existing) {
                (profiles.setupContainers().contains(init.getName()) ? front : rest).add(init);
            }
            resolved.stream()
                    .filter(s -> s.placement() == null && isMeshProxy(s))
                    .forEach(s -> front.add(s.container()));
        } else {
            // A mesh proxy converted earlier already leads the list; before-init goes right after it.
            int leading = 0;
            while (leading < existing.size() && isSetupOrNativeProxy(existing.get(leading), profiles)) {
                front.add(existing.get(leading++));
            }
            rest.addAll(existing.subList(leading, existing.size()));
        }

        List<Container> result = new ArrayList<>(existing.size() + sidecars.size());
        result.addAll(front);
        resolved.stream().filter(s -> kindOf(s) == Placement.Kind.BEFORE_INIT).forEach(s -> result.add(s.container()));
        result.addAll(rest);
        resolved.stream()
                .filter(s -> kindOf(s) == Placement.Kind.AFTER_INIT)
                .forEach(s -> result.add(s.container()));

        Map<String, Container> lastAfter = new HashMap<>();
        for (Sidecar sidecar : resolved) {
            if (kindOf(sidecar) != Placement.Kind.AFTER) {
                continue;
            }
            String anchor = sidecar.placement().anchor();
            Container predecessor = lastAfter.get(anchor);
            int position = predecessor != null ? indexOf(result, predecessor) : indexOfName(result, anchor);
            result.add(position + 1, sidecar.container());
            lastAfter.put(anchor, sidecar.container());
        }
        return new Result(result, findings);
    }

    private static Placement.Kind kindOf(Sidecar sidecar) {
        return sidecar.placement() == null ? null : sidecar.placement().kind();
    }

    /** A mesh proxy goes after its setup containers (null); other sidecars where their profile says, else after-init. */
    private static Placement defaultPlacement(SidecarProfile profile) {
        if (profile != null && profile.meshProxy()) {
            return null;
        }
        return profile != null && profile.placement() == SidecarProfile.DefaultPlacement.BEFORE_INIT
                ? Placement.BEFORE_INIT : Placement.AFTER_INIT;
    }

    private static boolean isMeshProxy(Sidecar sidecar) {
        return sidecar.profile() != null && sidecar.profile().meshProxy();
    }

    private static boolean isSetupOrNativeProxy(Container init, Profiles profiles) {
        if (profiles.setupContainers().contains(init.getName())) {
            return true;
        }
        if (!"Always".equals(init.getRestartPolicy())) {
            return false;
        }
        SidecarProfile profile = profiles.match(init);
        return profile != null && profile.meshProxy();
    }

    private static int indexOf(List<Container> containers, Container wanted) {
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i) == wanted) {
                return i;
            }
        }
        throw new IllegalStateException("container vanished during placement");
    }

    private static int indexOfName(List<Container> containers, String name) {
        for (int i = 0; i < containers.size(); i++) {
            if (name.equals(containers.get(i).getName())) {
                return i;
            }
        }
        throw new IllegalStateException("anchor " + name + " vanished during placement");
    }
}
