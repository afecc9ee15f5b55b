package io.nativesidecar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.ConversionResult;
import io.nativesidecar.conversion.PodPatch;
import io.nativesidecar.conversion.SidecarConverter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that hold for every conversion, whatever the case: the patch applies to the JSON that was
 * sent and yields the engine's pod, converting the result again changes nothing, and the result
 * passes the API server's container rules.
 */
public final class ConversionInvariants {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.dataformat.yaml.YAMLMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    /** Where each workload kind keeps its pod (mirrors what the CLI supports). */
    private static final Map<String, String> POD_PATHS = Map.of(
            "Pod", "", "Deployment", "/spec/template", "StatefulSet", "/spec/template",
            "DaemonSet", "/spec/template", "ReplicaSet", "/spec/template",
            "ReplicationController", "/spec/template", "Job", "/spec/template",
            "CronJob", "/spec/jobTemplate/spec/template", "DeploymentConfig", "/spec/template");

    private ConversionInvariants() {
    }

    /** The non-empty documents of a YAML (or JSON) stream. */
    public static List<JsonNode> documents(byte[] yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (document != null && document.isObject()) {
                documents.add(document);
            }
        }
        return documents;
    }

    /** The pod JSON objects in every document of a YAML (or JSON) file. */
    public static List<JsonNode> pods(Path file) throws IOException {
        List<JsonNode> pods = new ArrayList<>();
        for (JsonNode document : documents(Files.readAllBytes(file))) {
            pods.addAll(pods(document));
        }
        return pods;
    }

    /** The pod JSON objects inside a manifest document (the document itself for a Pod). */
    public static List<JsonNode> pods(JsonNode document) {
        List<JsonNode> pods = new ArrayList<>();
        String kind = document.path("kind").asText();
        if (kind.equals("List")) {
            document.path("items").forEach(item -> pods.addAll(pods(item)));
        } else if (POD_PATHS.containsKey(kind) && document.at(POD_PATHS.get(kind)).isObject()) {
            pods.add(document.at(POD_PATHS.get(kind)));
        }
        return pods;
    }

    /** Runs the engine on one pod as the webhook would and checks every invariant; returns the result. */
    public static ConversionResult check(SidecarConverter engine, ClusterFacts cluster, JsonNode sentPod) throws Exception {
        Pod pod = JSON.treeToValue(sentPod, Pod.class);
        ConversionResult result = engine.convert(pod, cluster);
        ArrayNode patch = new PodPatch(JSON).of(result);

        assertThat(patch).as("operations").allSatisfy(op ->
                assertThat(op.get("op").asText()).isIn("add", "remove", "replace"));
        if (!result.changed()) {
            assertThat(patch).as("patch for an unchanged pod").isEmpty();
        }
        if (patch.isEmpty()) {
            assertThat(new PodPatch(JSON).bytes(result)).as("the webhook's patch for an unchanged pod").isNull();
        }
        JsonNode patched = JsonPatch.apply(patch, sentPod);
        assertThat(JSON.treeToValue(patched, Pod.class)).as("patch applied to the sent pod").isEqualTo(result.pod());

        ConversionResult again = engine.convert(JSON.treeToValue(patched, Pod.class), cluster);
        assertThat(again.changed()).as("second conversion changes the pod").isFalse();
        assertThat(new PodPatch(JSON).of(again)).as("second conversion's patch").isEmpty();

        // A pod the API server would reject anyway (e.g. restartPolicy on a regular container, which
        // the engine skips) stays rejected; the conversion must not add a violation of its own.
        List<String> introduced = located(ApiServerRules.violations(result.pod()));
        introduced.removeAll(located(ApiServerRules.violations(pod)));
        assertThat(introduced).as("API server rules broken by the conversion").isEmpty();
        return result;
    }

    /**
     * Violations, with a duplicate name's position dropped: which of two same-named containers is
     * "the second" changes when one moves, but it is the same violation (Kuma's own test pods have one).
     */
    private static List<String> located(List<String> violations) {
        List<String> result = new ArrayList<>(violations.size());
        for (String violation : violations) {
            int duplicate = violation.indexOf("duplicate container name");
            result.add(duplicate >= 0 ? violation.substring(duplicate) : violation);
        }
        return result;
    }
}
