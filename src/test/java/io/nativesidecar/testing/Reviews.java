package io.nativesidecar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;

import java.util.Base64;

/** Builds AdmissionReview requests and reads the answers, as the API server would. */
public final class Reviews {

    private Reviews() {
    }

    public static ObjectNode podCreate(String uid, JsonNode pod) {
        ObjectNode review = ConversionInvariants.JSON.createObjectNode()
                .put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", uid);
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.put("operation", "CREATE").put("namespace", "default").put("dryRun", false);
        request.set("object", pod);
        return review;
    }

    /** The answer's JSON Patch, or null when it has none. */
    public static JsonNode patch(JsonNode answer) throws Exception {
        JsonNode patch = answer.path("response").get("patch");
        if (patch == null) {
            return null;
        }
        return ConversionInvariants.JSON.readTree(Base64.getDecoder().decode(patch.asText()));
    }

    /** The pod after the answer's patch, or the pod itself when there is none. */
    public static JsonNode patched(JsonNode pod, JsonNode answer) throws Exception {
        JsonNode patch = patch(answer);
        return patch == null ? pod : JsonPatch.apply(patch, pod);
    }
}
