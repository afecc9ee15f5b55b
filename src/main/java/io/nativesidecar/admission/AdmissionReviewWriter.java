package io.nativesidecar.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** Writes the AdmissionReview answer straight to bytes. */
public final class AdmissionReviewWriter {

    static final String DEFAULT_API_VERSION = "admission.k8s.io/v1";
    private final JsonFactory json = new JsonFactory();

    public byte[] write(AdmissionAnswer answer) {
        // As ObjectMapper.writeValueAsBytes does: the output segments come from Jackson's recycler pool,
        // and the answer is copied once, into an array of its exact size.
        BufferRecycler recycler = json._getBufferRecycler();
        try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
            JsonGenerator generator = json.createGenerator(out);
            generator.writeStartObject();
            generator.writeStringField("apiVersion", apiVersion(answer.apiVersion()));
            generator.writeStringField("kind", "AdmissionReview");
            generator.writeObjectFieldStart("response");
            generator.writeStringField("uid", answer.uid());
            generator.writeBooleanField("allowed", true);
            if (answer.patch() != null) {
                generator.writeStringField("patchType", "JSONPatch");
                // Jackson's default variant is standard Base64 with padding and no line feeds, as the API server reads it.
                generator.writeFieldName("patch");
                generator.writeBinary(answer.patch());
            }
            if (!answer.warnings().isEmpty()) {
                generator.writeArrayFieldStart("warnings");
                for (String warning : answer.warnings()) {
                    generator.writeString(warning);
                }
                generator.writeEndArray();
            }
            if (!answer.auditAnnotations().isEmpty()) {
                generator.writeObjectFieldStart("auditAnnotations");
                for (Map.Entry<String, String> entry : new TreeMap<>(answer.auditAnnotations()).entrySet()) {
                    generator.writeStringField(entry.getKey(), entry.getValue());
                }
                generator.writeEndObject();
            }
            generator.writeEndObject();
            generator.writeEndObject();
            generator.close();
            return out.getClearAndRelease();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recycler.releaseToPool();
        }
    }

    /** The answer must carry the review's own version; anything unexpected gets v1, the only one we register for. */
    private static String apiVersion(String requested) {
        return requested != null && requested.startsWith("admission.k8s.io/") ? requested : DEFAULT_API_VERSION;
    }
}
