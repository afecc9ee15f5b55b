package io.nativesidecar.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.nativesidecar.conversion.ReusableOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** Writes the AdmissionReview answer straight to bytes. */
public final class AdmissionReviewWriter {

    static final String DEFAULT_API_VERSION = "admission.k8s.io/v1";
    private final JsonFactory json = new JsonFactory();
    private final ThreadLocal<ReusableOutput> scratch = ReusableOutput.perThread();

    public byte[] write(AdmissionAnswer answer) {
        // Written into this thread's buffer, then copied once into an array of the answer's exact size.
        ReusableOutput out = ReusableOutput.take(scratch);
        try {
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
                // In key order, for answers that compare byte for byte; one key (the usual case) needs no sorting.
                Map<String, String> audit = answer.auditAnnotations();
                for (Map.Entry<String, String> entry : (audit.size() == 1 ? audit : new TreeMap<>(audit)).entrySet()) {
                    generator.writeStringField(entry.getKey(), entry.getValue());
                }
                generator.writeEndObject();
            }
            generator.writeEndObject();
            generator.writeEndObject();
            generator.close();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer must carry the review's own version; anything unexpected gets v1, the only one we register for. */
    private static String apiVersion(String requested) {
        return requested != null && requested.startsWith("admission.k8s.io/") ? requested : DEFAULT_API_VERSION;
    }
}
