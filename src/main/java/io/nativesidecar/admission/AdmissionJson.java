package io.nativesidecar.admission;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one mapper for every review read and patch written in the process: Jackson builds its
 * (de)serializers for the pod model once per mapper, so the warm-up ({@link WarmUpReviews}) prepares them
 * for the first real review.
 */
final class AdmissionJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private AdmissionJson() {
    }
}
