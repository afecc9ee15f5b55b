package io.nativesidecar.conversion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The webhook writes the operations straight to JSON ({@link #bytes}); the CLI works on the tree ({@link #of}).
 */
public final class PodPatch {

    private final ObjectMapper mapper;
    private final ThreadLocal<ReusableOutput> scratch = ReusableOutput.perThread();

    public PodPatch(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One operation; {@code value} is a model object, serialized only when written (null only for a remove). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Operation(String op, String path, Object value) {
    }

    /** The patch for a pod sent as is. */
    public ArrayNode of(ConversionResult result) {
        return of(result, "");
    }

    /**
     * The patch for a pod sent as is, as JSON, or null when nothing changed. The same JSON as writing
     * {@link #of(ConversionResult)}, without building the tree first.
     */
    public byte[] bytes(ConversionResult result) {
        List<Operation> operations = operations(result, "");
        if (operations.isEmpty()) {
            return null;
        }
        ReusableOutput out = ReusableOutput.take(scratch);
        try {
            mapper.writeValue(out, operations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The patch for a pod embedded in a larger document, e.g. {@code /spec/template} of a Deployment
     * (its metadata and spec lie at {@code <podPath>/metadata} and {@code <podPath>/spec}).
     */
    public ArrayNode of(ConversionResult result, String podPath) {
        return mapper.valueToTree(operations(result, podPath));
    }

    /** The operations turning the original pod into the converted one, in patch order. */
    public List<Operation> operations(ConversionResult result, String podPath) {
        List<Operation> patch = new ArrayList<>();
        if (!result.changed()) {
            return patch;
        }
        metadata(patch, podPath + "/metadata", result.original().getMetadata(), result.pod().getMetadata());
        spec(patch, podPath + "/spec", result.original().getSpec(), result.pod().getSpec());
        return patch;
    }

    private static void metadata(List<Operation> patch, String path, ObjectMeta before, ObjectMeta after) {
        if (before == after) {
            return;
        }
        if (before == null) {
            add(patch, path, after);
            return;
        }
        Map<String, String> old = before.getAnnotations();
        Map<String, String> now = after.getAnnotations();
        String annotationsPath = path + "/annotations";
        if (old == null || old.isEmpty()) {
            if (now != null && !now.isEmpty()) {
                add(patch, annotationsPath, now);
            }
            return;
        }
        for (Map.Entry<String, String> entry : now.entrySet()) {
            String key = entry.getKey();
            String keyPath = annotationsPath + "/" + escape(key);
            if (!old.containsKey(key)) {
                add(patch, keyPath, entry.getValue());
            } else if (!Objects.equals(old.get(key), entry.getValue())) {
                op(patch, "replace", keyPath, entry.getValue());
            }
        }
        for (String key : old.keySet()) {
            if (!now.containsKey(key)) {
                op(patch, "remove", annotationsPath + "/" + escape(key), null);
            }
        }
    }

    private static void spec(List<Operation> patch, String path, PodSpec before, PodSpec after) {
        if (before == after) {
            return;
        }
        Long oldGrace = before.getTerminationGracePeriodSeconds();
        Long newGrace = after.getTerminationGracePeriodSeconds();
        if (!Objects.equals(oldGrace, newGrace)) {
            op(patch, oldGrace == null ? "add" : newGrace == null ? "remove" : "replace", path + "/terminationGracePeriodSeconds",
                    newGrace);
        }
        containers(patch, path + "/containers", before.getContainers(), after.getContainers());
        containers(patch, path + "/initContainers", before.getInitContainers(), after.getInitContainers());
    }

    /**
     * Removes what left the list and inserts what entered it, keeping in place the longest run of
     * original containers whose order did not change (so a reordered container is removed and re-added).
     */
    private static void containers(List<Operation> patch, String path, List<Container> before, List<Container> after) {
        if (before == after) {
            return;
        }
        List<Container> old = before == null ? List.of() : before;
        List<Container> now = after == null ? List.of() : after;
        if (old.isEmpty()) {
            if (!now.isEmpty()) {
                add(patch, path, now);
            }
            return;
        }
        Map<Container, Integer> oldIndex = new IdentityHashMap<>(old.size());
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
                add(patch, path + "/" + j, now.get(j));
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

    /** A key as one JSON Pointer reference token (RFC 6901: "~" is "~0", "/" is "~1"). */
    static String escape(String key) {
        return key.indexOf('~') < 0 && key.indexOf('/') < 0 ? key : key.replace("~", "~0").replace("/", "~1");
    }

    private static void add(List<Operation> patch, String path, Object value) {
        op(patch, "add", path, value);
    }

    private static void op(List<Operation> patch, String op, String path, Object value) {
        // Only a remove has no value; an add or replace of null (say an annotation sent as null) writes null.
        patch.add(new Operation(op, path, value == null && !"remove".equals(op) ? NullNode.instance : value));
    }
}
