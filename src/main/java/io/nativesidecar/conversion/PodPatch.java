package io.nativesidecar.conversion;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The RFC 6902 JSON Patch from a pod to its conversion, for the API server and {@code convert -o patch}.
 * It relies on the engine sharing unchanged objects with the original: identity says what is
 * unchanged, so only converted containers and changed annotations are serialized. Operations are
 * add, remove and replace only (no move/copy), each valid against the object that was sent.
 */
public final class PodPatch {

    private final ObjectMapper mapper;

    public PodPatch(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The patch for a pod sent as is. */
    public ArrayNode of(ConversionResult result) {
        return of(result, "");
    }

    /**
     * The patch for a pod embedded in a larger document, e.g. {@code /spec/template} of a Deployment
     * (its metadata and spec lie at {@code <podPath>/metadata} and {@code <podPath>/spec}).
     */
    public ArrayNode of(ConversionResult result, String podPath) {
        ArrayNode patch = mapper.createArrayNode();
        Pod original = result.original();
        Pod converted = result.pod();
        if (!result.changed()) {
            return patch;
        }
        metadata(patch, podPath + "/metadata", original.getMetadata(), converted.getMetadata());
        spec(patch, podPath + "/spec", original.getSpec(), converted.getSpec());
        return patch;
    }

    private void metadata(ArrayNode patch, String path, ObjectMeta before, ObjectMeta after) {
        if (before == after) {
            return;
        }
        if (before == null) {
            add(patch, path, mapper.valueToTree(after));
            return;
        }
        Map<String, String> old = before.getAnnotations();
        Map<String, String> now = after.getAnnotations();
        String annotationsPath = path + "/annotations";
        if (old == null || old.isEmpty()) {
            if (now != null && !now.isEmpty()) {
                add(patch, annotationsPath, mapper.valueToTree(now));
            }
            return;
        }
        JsonPointer annotations = JsonPointer.compile(annotationsPath);
        for (Map.Entry<String, String> entry : now.entrySet()) {
            String key = entry.getKey();
            String keyPath = annotations.appendProperty(key).toString();
            if (!old.containsKey(key)) {
                add(patch, keyPath, mapper.getNodeFactory().textNode(entry.getValue()));
            } else if (!Objects.equals(old.get(key), entry.getValue())) {
                op(patch, "replace", keyPath, mapper.getNodeFactory().textNode(entry.getValue()));
            }
        }
        for (String key : old.keySet()) {
            if (!now.containsKey(key)) {
                op(patch, "remove", annotations.appendProperty(key).toString(), null);
            }
        }
    }

    private void spec(ArrayNode patch, String path, PodSpec before, PodSpec after) {
        if (before == after) {
            return;
        }
        Long oldGrace = before.getTerminationGracePeriodSeconds();
        Long newGrace = after.getTerminationGracePeriodSeconds();
        if (!Objects.equals(oldGrace, newGrace)) {
            op(patch, oldGrace == null ? "add" : "replace", path + "/terminationGracePeriodSeconds",
                    mapper.getNodeFactory().numberNode(newGrace));
        }
        containers(patch, path + "/containers", before.getContainers(), after.getContainers());
        containers(patch, path + "/initContainers", before.getInitContainers(), after.getInitContainers());
    }

    /**
     * Removes what left the list and inserts what entered it, keeping in place the longest run of
     * original containers whose order did not change (so a reordered container is removed and re-added).
     */
    private void containers(ArrayNode patch, String path, List<Container> before, List<Container> after) {
        if (before == after) {
            return;
        }
        List<Container> old = before == null ? List.of() : before;
        List<Container> now = after == null ? List.of() : after;
        if (old.isEmpty()) {
            if (!now.isEmpty()) {
                add(patch, path, mapper.valueToTree(now));
            }
            return;
        }
        Map<Container, Integer> oldIndex = new IdentityHashMap<>();
        for (int i = 0; i < old.size(); i++) {
            oldIndex.put(old.get(i), i);
        }
        boolean[] kept = longestOrderedRun(now, oldIndex, old.size());
        for (int i = old.size() - 1; i >= 0; i--) {
            if (!kept[i]) {
                op(patch, "remove", path + "/" + i, null);
            }
        }
        for (int j = 0; j < now.size(); j++) {
            Integer from = oldIndex.get(now.get(j));
            if (from == null || !kept[from]) {
                add(patch, path + "/" + j, mapper.valueToTree(now.get(j)));
            }
        }
    }

    /** Marks the original indices forming the longest increasing subsequence of {@code now}'s order. */
    private static boolean[] longestOrderedRun(List<Container> now, Map<Container, Integer> oldIndex, int oldSize) {
        List<Integer> sequence = new ArrayList<>();
        for (Container container : now) {
            Integer index = oldIndex.get(container);
            if (index != null) {
                sequence.add(index);
            }
        }
        int n = sequence.size();
        int[] length = new int[n];
        int[] previous = new int[n];
        int best = -1;
        for (int i = 0; i < n; i++) {
            length[i] = 1;
            previous[i] = -1;
            for (int k = 0; k < i; k++) {
                if (sequence.get(k) < sequence.get(i) && length[k] + 1 > length[i]) {
                    length[i] = length[k] + 1;
                    previous[i] = k;
                }
            }
            if (best < 0 || length[i] > length[best]) {
                best = i;
            }
        }
        boolean[] kept = new boolean[oldSize];
        for (int i = best; i >= 0; i = previous[i]) {
            kept[sequence.get(i)] = true;
        }
        return kept;
    }

    private void add(ArrayNode patch, String path, JsonNode value) {
        op(patch, "add", path, value);
    }

    private static void op(ArrayNode patch, String op, String path, JsonNode value) {
        var operation = patch.addObject().put("op", op).put("path", path);
        if (value != null) {
            operation.set("value", value);
        }
    }
}
