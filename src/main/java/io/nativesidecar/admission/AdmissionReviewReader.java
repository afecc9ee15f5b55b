package io.nativesidecar.admission;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Reads an AdmissionReview body in one pass straight into the fabric8 Pod model (no intermediate
 * tree, no copy of the body). Only when that fails does it look at the body as a plain JSON tree, to tell a
 * malformed review (400) from a well-formed review whose object is not a readable pod (fail open).
 */
public final class AdmissionReviewReader {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Envelope(String apiVersion, Request request) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Request(String uid, Kind kind, String operation, Boolean dryRun, String namespace, String name, Pod object) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Kind(String group, String version, String kind) {
    }

    private final ObjectReader envelopes;
    private final ObjectMapper mapper;

    public AdmissionReviewReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.envelopes = mapper.readerFor(Envelope.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public AdmissionRequest read(byte[] body) throws BadReview {
        return read(new ByteArrayInputStream(body));
    }

    /** Reads the body in place; only the slow path reads it a second time (from its start again). */
    public AdmissionRequest read(ByteArrayInputStream body) throws BadReview {
        body.mark(0);
        Envelope envelope;
        try {
            envelope = envelopes.readValue(body);
        } catch (IOException | RuntimeException bindingFailed) {
            body.reset();
            return readLeniently(body, bindingFailed);
        }
        if (envelope == null || envelope.request() == null) {
            throw new BadReview("the body has no request: want an admission.k8s.io/v1 AdmissionReview");
        }
        Request request = envelope.request();
        requireUid(request.uid());
        Kind kind = request.kind() == null ? new Kind(null, null, null) : request.kind();
        return new AdmissionRequest(envelope.apiVersion(), request.uid(), kind.group(), kind.kind(), request.operation(),
                Boolean.TRUE.equals(request.dryRun()), request.namespace(), request.name(), request.object(), null);
    }

    /** The slow path: the review is read as a tree so that whatever is usable in it still gets an answer. */
    private AdmissionRequest readLeniently(ByteArrayInputStream body, Exception bindingFailed) throws BadReview {
        JsonNode root;
        try {
            root = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(body);
        } catch (IOException | RuntimeException notJson) {
            throw new BadReview("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new BadReview("the body is not a JSON object: want an admission.k8s.io/v1 AdmissionReview");
        }
        JsonNode request = root.get("request");
        if (request == null || !request.isObject()) {
            throw new BadReview("the body has no request object: want an admission.k8s.io/v1 AdmissionReview");
        }
        JsonNode uid = request.get("uid");
        requireUid(uid != null && uid.isValueNode() ? uid.asText() : null);
        JsonNode kind = request.path("kind");
        String problem = bindingFailed instanceof JsonProcessingException json && json.getOriginalMessage() != null
                ? json.getOriginalMessage().lines().findFirst().orElse("") : String.valueOf(bindingFailed.getMessage());
        return new AdmissionRequest(
                text(root.get("apiVersion")), uid.asText(), text(kind.get("group")), text(kind.get("kind")),
                text(request.get("operation")), request.path("dryRun").asBoolean(false),
                text(request.get("namespace")), text(request.get("name")), null, problem);
    }

    private static void requireUid(String uid) throws BadReview {
        if (uid == null || uid.isBlank()) {
            throw new BadReview("the request has no uid");
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
