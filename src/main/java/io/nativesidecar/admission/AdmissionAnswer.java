package io.nativesidecar.admission;

import java.util.List;
import java.util.Map;

/**
 * The webhook's answer to one review, and what happened to it. Always {@code allowed: true}: this webhook
 * converts, it never rejects.
 *
 * @param outcome what happened, for the metrics and the Events; not part of the review written back (never
 *                {@link Outcome#BAD_REQUEST}: a body that is not a review gets no answer, see {@link BadReview})
 * @param patch   JSON Patch bytes (not yet base64), or null for no change
 */
public record AdmissionAnswer(String apiVersion, String uid, Outcome outcome, byte[] patch, List<String> warnings,
                              Map<String, String> auditAnnotations) {

    public AdmissionAnswer {
        warnings = List.copyOf(warnings);
        auditAnnotations = Map.copyOf(auditAnnotations);
    }

    /** The object allowed as it is, with nothing to say about it. */
    public static AdmissionAnswer allow(String apiVersion, String uid, Outcome outcome) {
        return new AdmissionAnswer(apiVersion, uid, outcome, null, List.of(), Map.of());
    }
}
