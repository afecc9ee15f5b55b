package io.nativesidecar.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nativesidecar.profile.SidecarProfile.RecordAnnotation;

import java.util.Collection;

/**
 * Rewrites an injector's record of its containers, such as Istio's {@code sidecar.istio.io/status}
 * (names) and {@code proxy.istio.io/overrides} (container objects): the injector reads it to
 * un-inject and to detect re-injection, so a moved sidecar must move there too, exactly as the
 * injector's own native mode writes it: out of {@code containers} and appended to
 * {@code initContainers}.
 */
public final class ContainerRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerRecords() {
    }

    /** The rewritten value, or null when there is nothing to change or the value is not such a record. */
    public static String rewrite(String value, Collection<String> moved, RecordAnnotation.EmptyContainers emptied) {
        if (value == null || value.isBlank() || moved.isEmpty()) {
            return null;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(value);
        } catch (Exception notJson) {
            return null;
        }
        if (!(parsed instanceof ObjectNode root) || !(root.get("containers") instanceof ArrayNode containers)) {
            return null;
        }
        ArrayNode remaining = JSON.createArrayNode();
        ArrayNode movedHere = JSON.createArrayNode();
        for (JsonNode entry : containers) {
            String name = entry.isTextual() ? entry.asText() : entry.path("name").asText(null);
            (name != null && moved.contains(name) ? movedHere : remaining).add(entry);
        }
        if (movedHere.isEmpty()) {
            return null;
        }
        ArrayNode initContainers = root.get("initContainers") instanceof ArrayNode existing
                ? existing : JSON.createArrayNode();
        movedHere.forEach(initContainers::add);
        if (!remaining.isEmpty()) {
            root.set("containers", remaining);
        } else if (emptied == RecordAnnotation.EmptyContainers.OMIT) {
            root.remove("containers");
        } else {
            root.set("containers", JSON.nullNode());
        }
        root.set("initContainers", initContainers);
        return root.toString();
    }
}
