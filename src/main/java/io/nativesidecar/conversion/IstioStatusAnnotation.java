package io.nativesidecar.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;

/**
 * Rewrites {@code sidecar.istio.io/status}, Istio's record of what it injected. Istio reads it to
 * un-inject and to detect re-injection, so a moved istio-proxy must move there too, exactly as
 * Istio's own native-sidecar mode writes it: out of {@code containers} (null when empty) and
 * appended to {@code initContainers}.
 */
public final class IstioStatusAnnotation {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IstioStatusAnnotation() {
    }

    /** The rewritten value, or null when there is nothing to change or the value is not Istio's JSON. */
    public static String rewrite(String status, Collection<String> moved) {
        if (status == null || status.isBlank() || moved.isEmpty()) {
            return null;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(status);
        } catch (Exception notJson) {
            return null;
        }
        if (!(parsed instanceof ObjectNode root) || !(root.get("containers") instanceof ArrayNode containers)) {
            return null;
        }
        ArrayNode remaining = JSON.createArrayNode();
        ArrayNode movedHere = JSON.createArrayNode();
        for (JsonNode name : containers) {
            (moved.contains(name.asText()) ? movedHere : remaining).add(name);
        }
        if (movedHere.isEmpty()) {
            return null;
        }
        ArrayNode initContainers = root.get("initContainers") instanceof ArrayNode existing
                ? existing : JSON.createArrayNode();
        movedHere.forEach(initContainers::add);
        root.set("initContainers", initContainers);
        root.set("containers", remaining.isEmpty() ? JSON.nullNode() : remaining);
        return root.toString();
    }
}
