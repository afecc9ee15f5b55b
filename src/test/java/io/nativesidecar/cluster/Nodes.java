package io.nativesidecar.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;

/** Test nodes as a kubelet would report them. */
final class Nodes {

    private Nodes() {
    }

    static Node node(String name, String kubeletVersion, boolean ready, String... labels) {
        NodeBuilder builder = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            builder.editMetadata().addToLabels(labels[i], labels[i + 1]).endMetadata();
        }
        return builder.withNewStatus()
                .withNewNodeInfo().withKubeletVersion(kubeletVersion).endNodeInfo()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }
}
