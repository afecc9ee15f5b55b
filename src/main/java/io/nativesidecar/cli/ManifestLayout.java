package io.nativesidecar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Keeps converted manifests laid out the way their authors wrote them: a moved container keeps its
 * key order ({@code name} first if it was first), and a new {@code initContainers} list sits right
 * before {@code containers}. The webhook does not need this (the API server re-serializes); a
 * reviewer of a migrated manifest does.
 */
final class ManifestLayout {

    private ManifestLayout() {
    }

    /** Reorders the keys of containers added by the patch like the same-named containers in the original pod. */
    static void orderAddedContainers(ArrayNode patch, JsonNode originalPod) {
        for (JsonNode op : patch) {
            if (!"add".equals(op.path("op").asText()) || !op.path("path").asText().contains("ontainers")) {
                continue;
            }
            JsonNode value = op.get("value");
            if (value instanceof ArrayNode containers) {
                for (int i = 0; i < containers.size(); i++) {
                    containers.set(i, likeOriginal(containers.get(i), originalPod));
                }
            } else if (value != null && value.has("name")) {
                ((ObjectNode) op).set("value", likeOriginal(value, originalPod));
            }
        }
    }

    /** Moves a newly added {@code initContainers} key of the pod spec at {@code podPath} to just before {@code containers}. */
    static void initContainersBeforeContainers(JsonNode document, String podPath) {
        if (!(document.at(podPath).path("spec") instanceof ObjectNode spec) || !spec.has("initContainers")
                || !spec.has("containers")) {
            return;
        }
        ObjectNode reordered = spec.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = spec.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("containers")) {
                reordered.set("initContainers", spec.get("initContainers"));
            }
            if (!field.getKey().equals("initContainers")) {
                reordered.set(field.getKey(), field.getValue());
            }
        }
        spec.removeAll();
        spec.setAll(reordered);
    }

    private static JsonNode likeOriginal(JsonNode container, JsonNode originalPod) {
        JsonNode original = find(originalPod.path("spec").path("containers"), container.path("name").asText());
        if (original == null) {
            original = find(originalPod.path("spec").path("initContainers"), container.path("name").asText());
        }
        if (original == null || !(container instanceof ObjectNode added)) {
            return container;
        }
        ObjectNode ordered = added.objectNode();
        original.fieldNames().forEachRemaining(key -> {
            if (added.has(key)) {
                ordered.set(key, added.get(key));
            }
        });
        added.fields().forEachRemaining(field -> {
            if (!ordered.has(field.getKey())) {
                ordered.set(field.getKey(), field.getValue());
            }
        });
        return ordered;
    }

    private static JsonNode find(JsonNode containers, String name) {
        for (JsonNode container : containers) {
            if (name.equals(container.path("name").asText(null))) {
                return container;
            }
        }
        return null;
    }
}
