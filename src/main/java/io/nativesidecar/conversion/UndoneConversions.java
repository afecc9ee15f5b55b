package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Containers that {@code nativesidecar.io/converted} names but that are no longer native sidecars:
 * a mutating webhook that ran after this one undid the conversion (one built with a Kubernetes
 * library older than 1.28 drops {@code restartPolicy} from init containers, and the sidecar becomes
 * an init container that never exits, so the pod hangs in Init). Reinvocation shows such a pod to
 * this webhook again: where only {@code restartPolicy} is gone it is put back; anything else is
 * reported.
 */
public final class UndoneConversions {

    /** The spec with restartPolicy restored where it was dropped (the same object when nothing was), and what was found. */
    record Result(PodSpec spec, List<Finding> findings) {
    }

    private UndoneConversions() {
    }

    /** The containers {@code nativesidecar.io/converted} names that are not native sidecars any more, in its order. */
    public static List<String> names(Pod pod) {
        if (pod == null || pod.getSpec() == null || pod.getMetadata() == null) {
            return List.of();
        }
        return check(pod.getMetadata().getAnnotations(), pod.getSpec()).findings().stream().map(Finding::subject).toList();
    }

    static Result check(Map<String, String> annotations, PodSpec spec) {
        String converted = annotations == null ? null : annotations.get(Annotations.CONVERTED);
        if (converted == null || converted.isBlank()) {
            return new Result(spec, List.of());
        }
        List<Container> initContainers = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        List<Finding> findings = new ArrayList<>();
        List<Container> repaired = null;
        for (String part : converted.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            int index = indexOf(initContainers, name);
            Container init = index < 0 ? null : initContainers.get(index);
            if (init != null && "Always".equals(init.getRestartPolicy())) {
                continue;
            }
            if (init == null && indexOf(spec.getContainers() == null ? List.of() : spec.getContainers(), name) < 0) {
                // Removed from the pod altogether (say, from a template that convert wrote): it cannot hang the pod.
                continue;
            }
            if (init != null && init.getRestartPolicy() == null) {
                if (repaired == null) {
                    repaired = new ArrayList<>(initContainers);
                }
                Container copy = ShallowCopy.of(init);
                copy.setRestartPolicy("Always");
                repaired.set(index, copy);
                findings.add(Finding.of(Reason.UNDONE, name, "restartPolicy dropped; restored"));
            } else {
                findings.add(Finding.of(Reason.UNDONE, name, init == null ? "moved back among the containers" : "restartPolicy: "
                        + init.getRestartPolicy()));
            }
        }
        if (repaired == null) {
            return new Result(spec, findings);
        }
        PodSpec copy = ShallowCopy.of(spec);
        copy.setInitContainers(repaired);
        return new Result(copy, findings);
    }

    private static int indexOf(List<Container> containers, String name) {
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i) != null && name.equals(containers.get(i).getName())) {
                return i;
            }
        }
        return -1;
    }
}
