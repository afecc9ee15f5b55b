package io.nativesidecar.admission;

import java.util.List;
import java.util.Map;

/**
 * The webhook's answer to one review. Always {@code allowed: true}: this webhook converts, it
 * never rejects.
 *
 * @param patch JSON Patch bytes (not yet base64), or null for no change
 */
public record AdmissionAnswer(String apiVersion, String uid, byte[] patch, List<String> warnings,
                              Map<String, String> auditAnnotations) {

    public AdmissionAnswer {
        warnings = List.copyOf(warnings);
        auditAnnotations = Map.copyOf(auditAnnotations);
    }

    public static AdmissionAnswer allow(String apiVersion, String uid) {
        return new AdmissionAnswer(apiVersion, uid, null, List.of(), Map.of());
    }
}
