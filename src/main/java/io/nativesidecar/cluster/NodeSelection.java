package io.nativesidecar.cluster;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The nodes a pod may run on, as far as the admission webhook can tell before scheduling: the node
 * it names, else the Ready nodes its nodeSelector and required node affinity allow, else (nothing
 * matches yet, or it constrains nothing) all Ready nodes. Taints are ignored: more candidates
 * only make the version check stricter.
 */
final class NodeSelection {

    private NodeSelection() {
    }

    static List<NodeFacts> candidates(PodSpec spec, Map<String, NodeFacts> nodes) {
        return candidates(spec, nodes, true);
    }

    /** @param byNodeName whether a pod that names its node is held to that node (false: as if created anew) */
    static List<NodeFacts> candidates(PodSpec spec, Map<String, NodeFacts> nodes, boolean byNodeName) {
        Collection<NodeFacts> all = nodes.values();
        if (byNodeName && spec != null && spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
            NodeFacts named = nodes.get(spec.getNodeName());
            if (named != null) {
                return List.of(named);
            }
        }
        List<NodeFacts> ready = all.stream().filter(NodeFacts::ready).toList();
        if (spec == null) {
            return ready;
        }
        Map<String, String> selector = spec.getNodeSelector() == null ? Map.of() : spec.getNodeSelector();
        NodeSelector required = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null
                ? null : spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        boolean hasAffinity = required != null && required.getNodeSelectorTerms() != null && !required.getNodeSelectorTerms().isEmpty();
        if (selector.isEmpty() && !hasAffinity) {
            return ready;
        }
        List<NodeFacts> matching = ready.stream()
                .filter(node -> matchesSelector(node, selector) && (!hasAffinity || matchesAnyTerm(node, required.getNodeSelectorTerms())))
                .toList();
        return matching.isEmpty() ? ready : matching;
    }

    private static boolean matchesSelector(NodeFacts node, Map<String, String> selector) {
        for (Map.Entry<String, String> entry : selector.entrySet()) {
            if (!entry.getValue().equals(node.labels().get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Terms are ORed; within a term, every expression and field requirement must hold. */
    private static boolean matchesAnyTerm(NodeFacts node, List<NodeSelectorTerm> terms) {
        for (NodeSelectorTerm term : terms) {
            if (term != null && matchesTerm(node, term)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesTerm(NodeFacts node, NodeSelectorTerm term) {
        boolean constrained = false;
        if (term.getMatchExpressions() != null) {
            for (NodeSelectorRequirement requirement : term.getMatchExpressions()) {
                constrained = true;
                if (!matches(node.labels().get(requirement.getKey()), node.labels().containsKey(requirement.getKey()), requirement)) {
                    return false;
                }
            }
        }
        if (term.getMatchFields() != null) {
            for (NodeSelectorRequirement requirement : term.getMatchFields()) {
                constrained = true;
                // metadata.name is the only field Kubernetes supports here.
                if (!"metadata.name".equals(requirement.getKey()) || !matches(node.name(), true, requirement)) {
                    return false;
                }
            }
        }
        return constrained; // an empty term matches no node
    }

    private static boolean matches(String value, boolean present, NodeSelectorRequirement requirement) {
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (String.valueOf(requirement.getOperator())) {
            case "In" -> present && values.contains(value);
            case "NotIn" -> !present || !values.contains(value);
            case "Exists" -> present;
            case "DoesNotExist" -> !present;
            case "Gt" -> present && compare(value, values) > 0;
            case "Lt" -> present && compare(value, values) < 0;
            default -> false;
        };
    }

    private static int compare(String value, List<String> values) {
        try {
            return Long.compare(Long.parseLong(value), Long.parseLong(values.get(0)));
        } catch (RuntimeException notComparable) {
            return 0;
        }
    }
}
