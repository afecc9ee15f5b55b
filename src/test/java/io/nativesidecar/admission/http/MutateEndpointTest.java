package io.nativesidecar.admission.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nativesidecar.testing.ConversionInvariants;
import io.nativesidecar.testing.RawHttps;
import io.nativesidecar.testing.Reviews;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The contract of POST /mutate over TLS, on every golden case and on bad input. */
@QuarkusTest
class MutateEndpointTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Path VECTORS = Path.of("src/test/resources/istio-vectors/old-version");

    @TestHTTPResource(value = "/mutate", tls = true)
    URL mutate;

    /**
     * Every pod of every golden case and Istio vector through the webhook: the patch applies to
     * the pod that was sent and gives exactly the CLI's output for that pod; a second review of the
     * result yields no patch; a dry run gets the same answer.
     */
    @TestFactory
    Stream<DynamicTest> goldenCasesThroughTheWebhook() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : inputs()) {
            Path expected = input.getParent().equals(VECTORS)
                    ? VECTORS.resolve(input.getFileName().toString().replace(".input.yaml", ".expected.yaml"))
                    : input.resolveSibling(input.getFileName().toString().replace(".yaml", ".converted.yaml"));
            tests.add(DynamicTest.dynamicTest(input.getFileName().toString(), () -> checkCase(input, expected)));
        }
        return tests.stream();
    }

    private void checkCase(Path input, Path expected) throws Exception {
        List<JsonNode> sentPods = ConversionInvariants.pods(input);
        List<JsonNode> expectedPods = ConversionInvariants.pods(expected);
        assertThat(expectedPods).hasSameSizeAs(sentPods);
        for (int i = 0; i < sentPods.size(); i++) {
            JsonNode pod = sentPods.get(i);
            String uid = UUID.randomUUID().toString();
            ObjectNode review = Reviews.podCreate(uid, pod);
            JsonNode answer = review(review);
            assertThat(answer.path("response").path("uid").asText()).isEqualTo(uid);
            assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();

            JsonNode patched = Reviews.patched(pod, answer);
            JsonNode want = expectedPods.get(i);
            if (input.getParent().equals(VECTORS)) {
                ObjectNode annotations = (ObjectNode) patched.path("metadata").path("annotations");
                annotations.remove("nativesidecar.io/converted");
                if (annotations.isEmpty()) {
                    // Ours was the only one: Istio's output has no annotations there at all.
                    ((ObjectNode) patched.path("metadata")).remove("annotations");
                }
                patched = normaliseIstioStatus(patched);
                want = normaliseIstioStatus(want);
            }
            assertThat(patched).as("pod %d of %s after the patch", i, input.getFileName()).isEqualTo(want);
            if (answer.path("response").has("patch")) {
                assertThat(answer.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
            } else {
                assertThat(answer.path("response").has("patchType")).isFalse();
            }

            JsonNode again = review(Reviews.podCreate(uid, Reviews.patched(pod, answer)));
            assertThat(again.path("response").has("patch")).as("second review patches").isFalse();

            ((ObjectNode) review.get("request")).put("dryRun", true);
            assertThat(review(review)).as("dry run").isEqualTo(answer);
        }
    }

    /**
     * A review that arrives in many chunks, so that the route joins them into an array it grows from
     * 64 KiB. The megabyte sits in the sidecar, which the patch moves: a body read short, joined out
     * of order or from the wrong place would show in the moved container.
     */
    @Test
    void aOneMebibytePodIsConvertedLikeASmallOne() throws Exception {
        ObjectNode pod = (ObjectNode) ConversionInvariants.pods(VECTORS.resolve("hello.input.yaml")).get(0).deepCopy();
        ObjectNode sidecar = null;
        for (JsonNode container : pod.path("spec").path("containers")) {
            if (container.path("name").asText().equals("istio-proxy")) {
                sidecar = (ObjectNode) container;
            }
        }
        assertThat(sidecar).as("istio-proxy in the vector").isNotNull();
        com.fasterxml.jackson.databind.node.ArrayNode env = sidecar.putArray("env");
        for (int i = 0; env.toString().length() < 1024 * 1024; i++) {
            env.addObject().put("name", "VARIABLE_" + i).put("value", "x".repeat(100));
        }
        JsonNode answer = review(Reviews.podCreate("one-mebibyte", pod));

        assertThat(answer.path("response").path("uid").asText()).isEqualTo("one-mebibyte");
        JsonNode moved = null;
        for (JsonNode container : Reviews.patched(pod, answer).path("spec").path("initContainers")) {
            if (container.path("name").asText().equals("istio-proxy")) {
                moved = container;
            }
        }
        assertThat(moved).as("istio-proxy moved to the init containers").isNotNull();
        assertThat(moved.path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(moved.path("env")).isEqualTo(env);
    }

    @Test
    void convertedPodsCarryAuditAnnotationAndOwnerWarnings() throws Exception {
        JsonNode pod = ConversionInvariants.pods(GOLDEN.resolve("skip-restart-policy-set.yaml")).get(0);
        JsonNode answer = review(Reviews.podCreate("w-1", pod));
        JsonNode response = answer.path("response");
        assertThat(response.path("auditAnnotations").path("converted").asText()).isEqualTo("cloud-sql-proxy");
        assertThat(response.path("auditAnnotations").path("nativesidecar.io/converted").asText()).isEqualTo("cloud-sql-proxy");
        assertThat(response.path("warnings")).singleElement().satisfies(w -> assertThat(w.asText())
                .startsWith("nativesidecar: fluent-bit: not converted").hasSizeLessThanOrEqualTo(120));
    }

    @Test
    void podsThatNeedNothingGetNoPatchNoWarningNoAudit() throws Exception {
        JsonNode pod = ConversionInvariants.pods(GOLDEN.resolve("no-sidecars.yaml")).get(0);
        JsonNode response = review(Reviews.podCreate("n-1", pod)).path("response");
        assertThat(response.has("patch")).isFalse();
        assertThat(response.has("patchType")).isFalse();
        assertThat(response.has("warnings")).isFalse();
        assertThat(response.has("auditAnnotations")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"Pod,DELETE,''", "Pod,UPDATE,''", "Deployment,CREATE,apps", "Pod,CONNECT,''", "Binding,CREATE,''"})
    void onlyPodCreationIsConverted(String kind, String operation, String group) throws Exception {
        ObjectNode review = Reviews.podCreate("k-1", ConversionInvariants.pods(VECTORS.resolve("hello.input.yaml")).get(0));
        ((ObjectNode) review.get("request")).put("operation", operation);
        ((ObjectNode) review.get("request").get("kind")).put("kind", kind).put("group", group);
        JsonNode response = review(review).path("response");
        assertThat(response.path("uid").asText()).isEqualTo("k-1");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json at all|the body is not valid JSON",
        "{\"request\": {\"uid\": \"a\"} trailing|the body is not valid JSON",
        "[]|not a JSON object",
        "42|not a JSON object",
        "{}|no request",
        "{\"request\": null}|no request",
        "{\"request\": []}|no request",
        "{\"request\": {}}|no uid",
        "{\"request\": {\"uid\": \"\"}}|no uid",
        "{\"request\": {\"uid\": {\"a\": 1}}}|no uid",
        "''|not"})
    void malformedReviewsAre400WithAJsonError(String body, String message) {
        Response response = post(body.getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("error")).contains(message);
    }

    @ParameterizedTest
    @CsvSource({"text/plain", "application/xml", "application/x-www-form-urlencoded"})
    void wrongContentTypeIs415(String contentType) throws Exception {
        assertThat(RawHttps.statusAfterHead(mutate, contentType, 0)).startsWith("HTTP/1.1 415");
    }

    @Test
    void aBodyWithoutContentTypeIs415() throws Exception {
        try (var socket = RawHttps.connect(mutate, "TLSv1.3")) {
            socket.getOutputStream().write(("POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            assertThat(socket.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 415");
        }
    }

    /** The limit is enforced from the announced length, before a byte of the body is read... */
    @Test
    void announcedBodiesOver6MiBAre413BeforeTheyAreSent() throws Exception {
        assertThat(RawHttps.statusAfterHead(mutate, "application/json", 6L * 1024 * 1024 + 1)).startsWith("HTTP/1.1 413");
    }

    /** ...and, for a chunked body of unknown length, while it is read. */
    @Test
    void chunkedBodiesOver6MiBAre413() throws Exception {
        assertThat(RawHttps.statusAfterChunks(mutate, 7L * 1024 * 1024)).startsWith("HTTP/1.1 413");
    }

    /**
     * A client that prefers HTTP/2 (as API servers do) is answered over HTTP/1.1, where the 413 above
     * works (over HTTP/2 an oversized body ends in a GOAWAY with no status).
     */
    @Test
    void http2ClientsAreAnsweredOverHttp11() throws Exception {
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2)
                .sslContext(RawHttps.trustingEverything("TLS")).build();
        var response = client.send(java.net.http.HttpRequest.newBuilder(mutate.toURI()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(response.statusCode()).isEqualTo(400);
    }

    /** A body of unknown length in many small chunks is read whole, like one sent at once. */
    @Test
    void aChunkedReviewIsReadWhole() throws Exception {
        JsonNode pod = ConversionInvariants.pods(VECTORS.resolve("hello.input.yaml")).get(0);
        byte[] review = ConversionInvariants.JSON.writeValueAsBytes(Reviews.podCreate("chunked", pod));
        JsonNode oneChunk = review(Reviews.podCreate("chunked", pod));

        String exchange = RawHttps.chunked(mutate, review, 100);

        assertThat(exchange).startsWith("HTTP/1.1 200");
        JsonNode answer = ConversionInvariants.JSON.readTree(exchange.substring(exchange.indexOf("\r\n\r\n") + 4));
        assertThat(answer).isEqualTo(oneChunk);
        assertThat(answer.path("response").has("patch")).isTrue();
    }

    /** A body in one chunk whose end comes in a later packet: the chunk is kept across reads. */
    @Test
    void aOneChunkBodyWhoseEndComesLaterIsReadWhole() throws Exception {
        JsonNode pod = ConversionInvariants.pods(VECTORS.resolve("hello.input.yaml")).get(0);
        byte[] review = ConversionInvariants.JSON.writeValueAsBytes(Reviews.podCreate("later", pod));
        byte[] chunk = (Integer.toHexString(review.length) + "\r\n" + new String(review, StandardCharsets.UTF_8) + "\r\n")
                .getBytes(StandardCharsets.UTF_8);

        String exchange = RawHttps.inPieces(mutate, RawHttps.head(mutate,
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"),
                200, chunk, "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(exchange).startsWith("HTTP/1.1 200");
        JsonNode answer = ConversionInvariants.JSON.readTree(exchange.substring(exchange.indexOf("\r\n\r\n") + 4));
        assertThat(answer).isEqualTo(review(Reviews.podCreate("later", pod)));
    }

    /**
     * A client that announces a body and stops sending it gets a 408 once the read timeout (3 s in the
     * tests) has passed, and the connection is closed.
     */
    @Test
    void aBodyThatStopsComingIs408AndTheConnectionCloses() throws Exception {
        byte[] piece = new byte[10_000];
        java.util.Arrays.fill(piece, (byte) ' ');
        long start = System.nanoTime();

        String exchange = RawHttps.inPieces(mutate, RawHttps.head(mutate, "Content-Type: application/json\r\nContent-Length: 100000\r\n"),
                50, piece, piece);

        assertThat(exchange).startsWith("HTTP/1.1 408").contains("\"error\"").doesNotContain("(still open)");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(2_500L, 9_000L);
    }

    /**
     * The read timeout runs from the headers: a client that sends them and no byte of its body, or one chunk and
     * never its end, gets a 408 too, instead of holding its connection until the idle timeout.
     */
    @Test
    void headersWithoutTheirBodyAre408() throws Exception {
        long start = System.nanoTime();
        String nothing = RawHttps.inPieces(mutate, RawHttps.head(mutate, "Content-Type: application/json\r\nContent-Length: 100\r\n"), 0);
        String oneChunk = RawHttps.inPieces(mutate, RawHttps.head(mutate,
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"), 0, "2\r\n{}\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(nothing).startsWith("HTTP/1.1 408").doesNotContain("(still open)");
        assertThat(oneChunk).startsWith("HTTP/1.1 408").doesNotContain("(still open)");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(5_000L, 18_000L);
    }

    /** A refusal of a request without a body keeps the connection for the next request. */
    @Test
    void aConnectionServesTheNextReviewAfterARefusalWithoutABody() throws Exception {
        byte[] review = "{\"request\": {\"uid\": \"next\"}}".getBytes(StandardCharsets.UTF_8);
        String exchange = RawHttps.inPieces(mutate, RawHttps.head(mutate, "Content-Type: text/plain\r\nContent-Length: 0\r\n"), 0,
                (RawHttps.head(mutate, "Content-Type: application/json\r\nContent-Length: " + review.length + "\r\nConnection: close\r\n")
                        + new String(review, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));

        assertThat(exchange).startsWith("HTTP/1.1 415").contains("HTTP/1.1 200", "\"uid\":\"next\"");
    }

    @Test
    void aClientThatAsksToContinueIsToldTo() throws Exception {
        byte[] review = ConversionInvariants.JSON.writeValueAsBytes(
                Reviews.podCreate("continue", ConversionInvariants.pods(GOLDEN.resolve("no-sidecars.yaml")).get(0)));
        String exchange = RawHttps.afterContinue(mutate, review);
        assertThat(exchange).startsWith("HTTP/1.1 100").contains("HTTP/1.1 200", "\"uid\":\"continue\"");
    }

    @Test
    void aJsonContentTypeWithACharsetIsJson() throws Exception {
        Response response = post("{\"request\": {\"uid\": \"cs\"}}".getBytes(StandardCharsets.UTF_8), "application/json; charset=UTF-8");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("response.uid")).isEqualTo("cs");
    }

    @Test
    void otherMethodsAre405WithAJsonError() {
        Response response = given().relaxedHTTPSValidation().get(mutate);
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("POST");
        assertThat(response.jsonPath().getString("error")).contains("POST");
    }

    @Test
    void aBodyOfExactly6MiBIsRead() throws Exception {
        byte[] body = new byte[6 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        byte[] review = "{\"request\":{\"uid\":\"big\"}}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(review, 0, body, 0, review.length);
        Response response = post(body, "application/json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("response.uid")).isEqualTo("big");
    }

    @Test
    void aPodThatCannotBeReadIsAdmittedUnchangedWithAWarning() throws Exception {
        ObjectNode review = Reviews.podCreate("bad-pod", ConversionInvariants.JSON.createObjectNode()
                .put("kind", "Pod").set("spec", ConversionInvariants.JSON.createObjectNode().put("containers", "nope")));
        JsonNode response = review(review).path("response");
        assertThat(response.path("uid").asText()).isEqualTo("bad-pod");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).isFalse();
        assertThat(response.path("warnings").get(0).asText()).startsWith("nativesidecar: the pod could not be read");
    }

    JsonNode review(ObjectNode review) throws Exception {
        Response response = post(ConversionInvariants.JSON.writeValueAsBytes(review), "application/json");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return ConversionInvariants.JSON.readTree(response.asByteArray());
    }

    Response post(byte[] body, String contentType) {
        return given().relaxedHTTPSValidation().contentType(contentType).body(body).post(mutate);
    }

    private static List<Path> inputs() throws Exception {
        List<Path> inputs = new ArrayList<>();
        try (Stream<Path> golden = Files.list(GOLDEN); Stream<Path> vectors = Files.list(VECTORS)) {
            // Cases with their own configuration file are checked on the webhook path by GoldenCasesTest and,
            // over HTTPS with a configuration file, by ConfigurationReloadTest.
            golden.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".converted.yaml")
                            && !p.toString().endsWith(".config.yaml")
                            && !Files.exists(Path.of(p.toString().replace(".yaml", ".config.yaml"))))
                    .sorted().forEach(inputs::add);
            vectors.filter(p -> p.toString().endsWith(".input.yaml")).sorted().forEach(inputs::add);
        }
        return inputs;
    }

    private static JsonNode normaliseIstioStatus(JsonNode pod) throws Exception {
        JsonNode copy = pod.deepCopy();
        JsonNode annotations = copy.path("metadata").path("annotations");
        if (annotations.has("sidecar.istio.io/status")) {
            ((ObjectNode) annotations).set("sidecar.istio.io/status",
                    ConversionInvariants.JSON.readTree(annotations.get("sidecar.istio.io/status").asText()));
        }
        return copy;
    }
}
