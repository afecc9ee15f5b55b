package io.nativesidecar.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;

import java.util.Map;

/**
 * What matters about a node for native sidecars: its kubelet's version (kubelets may lag the API
 * server by up to three minor versions), whether it is Ready, and its labels for scheduling.
 *
 * @param kubeletVersion as reported, e.g. {@code v1.28.9}
 * @param kubelet        parsed, or null when the node does not report a readable version
 */
public record NodeFacts(String name, String kubeletVersion, KubernetesVersion kubelet, boolean ready, Map<String, String> labels) {

    public static NodeFacts of(Node node) {
        String name = node.getMetadata() == null ? null : node.getMetadata().getName();
        Map<String, String> labels = node.getMetadata() == null || node.getMetadata().getLabels() == null
                ? Map.of() : Map.copyOf(node.getMetadata().getLabels());
        String version = node.getStatus() == null || node.getStatus().getNodeInfo() == null
                ? null : node.getStatus().getNodeInfo().getKubeletVersion();
        boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream().anyMatch(NodeFacts::isReady);
        return new NodeFacts(name, version, KubernetesVersion.parse(version), ready, labels);
    }

    private static boolean isReady(NodeCondition condition) {
        return "Ready".equals(condition.getType()) && "True".equals(condition.getStatus());
    }
}
