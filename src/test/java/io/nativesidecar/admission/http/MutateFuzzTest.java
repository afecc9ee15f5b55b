package io.nativesidecar.admission.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.nativesidecar.testing.ConversionInvariants;
import io.nativesidecar.testing.Reviews;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged pods and reviews (wrong types, nulls, huge strings, bad annotation values, missing
 * parts): whatever arrives, the answer is never a 5xx, a 200 echoes the uid and allows the pod,
 * a 400 explains itself, and every patch applies to the object that was sent.
 */
@QuarkusTest
class MutateFuzzTest {

    private static final int CASES = 400;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] ANNOTATION_VALUES = {
        "", "true", "false", "maybe", "before-init", "after:", "after:nope", "after:istio-init", "sleep:0", "sleep:99999999999",
        "sleep:5", "http:", "http:0/x", "http:admin/x", "tcp:65536", "tcp:80", "none", "{", "{}", "{\"exec\":{}}",
        "{\"sleep\":{\"seconds\":-1}}", "{\"httpGet\":{\"port\":\"x\"}}", "istio-proxy,,", "A,B", "x".repeat(5000), "\u0000\n"};
    private static final String[] ANNOTATION_KEYS = {
        "nativesidecar.io/enabled", "nativesidecar.io/sidecars", "nativesidecar.io/exclude",
        "nativesidecar.io/placement.istio-proxy", "nativesidecar.io/startup-probe.istio-proxy",
        "nativesidecar.io/pre-stop.istio-proxy", "nativesidecar.io/placement.", "nativesidecar.io/other",
        "sidecar.istio.io/status", "nativesidecar.io/converted"};

    @TestHTTPResource(value = "/mutate", tls = true)
    URL mutate;

    @Test
    void damagedReviewsNeverBreakTheContract() throws Exception {
        List<JsonNode> seeds = seedPods();
        Random random = new Random(20261126);
        int answered = 0;
        int patched = 0;
        for (int i = 0; i < CASES; i++) {
            JsonNode pod = seeds.get(random.nextInt(seeds.size())).deepCopy();
            for (int damage = 1 + random.nextInt(3); damage > 0; damage--) {
                pod = damage(pod, random);
            }
            String uid = "fuzz-" + i;
            ObjectNode review = Reviews.podCreate(uid, pod);
            if (random.nextInt(10) == 0) {
                damageEnvelope(review, random);
            }
            byte[] body = ConversionInvariants.JSON.writeValueAsBytes(review);
            Response response = given().relaxedHTTPSValidation().contentType("application/json").body(body).post(mutate);

            assertThat(response.statusCode()).as("case %d: %s", i, review).isLessThan(500).isIn(200, 400);
            JsonNode answer = ConversionInvariants.JSON.readTree(response.asByteArray());
            if (response.statusCode() == 400) {
                assertThat(answer.path("error").isTextual()).as("case %d error body", i).isTrue();
                continue;
            }
            answered++;
            JsonNode sentRequest = review.path("request");
            assertThat(answer.path("response").path("uid").asText()).isEqualTo(sentRequest.path("uid").asText());
            assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
            answer.path("response").path("warnings").forEach(w ->
                    assertThat(w.asText()).startsWith("nativesidecar: ").hasSizeLessThanOrEqualTo(120));
            JsonNode patch = Reviews.patch(answer);
            if (patch != null) {
                patched++;
                JsonNode sent = sentRequest.get("object");
                assertThat(patch).allSatisfy(op -> assertThat(op.path("op").asText()).isIn("add", "remove", "replace"));
                JsonNode result = JsonPatch.apply(patch, sent);
                assertThat(result.path("spec").path("initContainers").isArray()).as("case %d", i).isTrue();
            }
        }
        // The damage must leave enough reviews intact for the patch checks to mean something.
        assertThat(answered).isGreaterThan(CASES / 2);
        assertThat(patched).isGreaterThan(CASES / 10);
    }

    private static List<JsonNode> seedPods() throws Exception {
        List<JsonNode> pods = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/golden"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().endsWith(".converted.yaml")).sorted().toList()) {
                pods.addAll(ConversionInvariants.pods(file));
            }
        }
        return pods;
    }

    /** One random damage somewhere in the tree: a value of the wrong type, null, a huge string, a bad annotation, a removal. */
    private static JsonNode damage(JsonNode pod, Random random) {
        int kind = random.nextInt(6);
        if (kind == 0 && pod.isObject()) {
            ObjectNode annotations = annotations((ObjectNode) pod);
            annotations.put(ANNOTATION_KEYS[random.nextInt(ANNOTATION_KEYS.length)],
                    ANNOTATION_VALUES[random.nextInt(ANNOTATION_VALUES.length)]);
            return pod;
        }
        List<JsonNode[]> slots = new ArrayList<>();
        collect(pod, slots);
        if (slots.isEmpty()) {
            return pod;
        }
        JsonNode[] slot = slots.get(random.nextInt(slots.size()));
        JsonNode replacement = switch (kind) {
            case 1 -> NODES.nullNode();
            case 2 -> NODES.textNode("z".repeat(random.nextInt(200_000)));
            case 3 -> NODES.numberNode(random.nextInt());
            case 4 -> NODES.arrayNode().add(NODES.objectNode());
            default -> null;
        };
        replace(slot[0], slot[1], replacement);
        return pod;
    }

    private static ObjectNode annotations(ObjectNode pod) {
        JsonNode metadata = pod.get("metadata");
        ObjectNode meta = metadata instanceof ObjectNode m ? m : pod.putObject("metadata");
        JsonNode annotations = meta.get("annotations");
        return annotations instanceof ObjectNode a ? a : meta.putObject("annotations");
    }

    /** Every (parent, field-name-or-index) pair in the tree. */
    private static void collect(JsonNode node, List<JsonNode[]> slots) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                slots.add(new JsonNode[] {object, NODES.textNode(name)});
                collect(object.get(name), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new JsonNode[] {array, NODES.numberNode(i)});
                collect(array.get(i), slots);
            }
        }
    }

    private static void replace(JsonNode parent, JsonNode key, JsonNode value) {
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(key.asText());
            } else {
                object.set(key.asText(), value);
            }
        } else if (parent instanceof ArrayNode array) {
            if (value == null) {
                array.remove(key.asInt());
            } else {
                array.set(key.asInt(), value);
            }
        }
    }

    private static void damageEnvelope(ObjectNode review, Random random) {
        ObjectNode request = (ObjectNode) review.get("request");
        switch (random.nextInt(6)) {
            case 0 -> request.remove("uid");
            case 1 -> request.put("uid", 12345);
            case 2 -> request.set("kind", NODES.textNode("Pod"));
            case 3 -> request.set("operation", NODES.arrayNode());
            case 4 -> request.set("object", NODES.textNode("pod"));
            default -> review.set("request", NODES.textNode(Base64.getEncoder().encodeToString(new byte[] {1, 2})));
        }
    }
}
