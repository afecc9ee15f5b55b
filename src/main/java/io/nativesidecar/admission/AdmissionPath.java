package io.nativesidecar.admission;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;

/**
 * The whole admission path without HTTP: the bytes of an AdmissionReview in, the bytes of the answer out
 * (the HTTP route serves it as {@code POST /mutate}; the warm-up and the benchmarks call it directly).
 * Application-scoped, so created at the first review rather than when the route is registered: its reader
 * builds Jackson's deserializers for the pod model, 0.3-0.4 s that start-up to ready would otherwise wait for
 * (the warm-up builds them on its own thread, in the mapper that every reader shares).
 */
@ApplicationScoped
public class AdmissionPath {

    private final PodAdmission admission;
    private final AdmissionMetrics metrics;
    private final AdmissionReviewReader reader = new AdmissionReviewReader(AdmissionJson.MAPPER);
    private final AdmissionReviewWriter writer = new AdmissionReviewWriter();

    public AdmissionPath(PodAdmission admission, AdmissionMetrics metrics) {
        this.admission = admission;
        this.metrics = metrics;
    }

    /**
     * The answer's AdmissionReview bytes. A body that is not a review is counted (as {@link Outcome#BAD_REQUEST})
     * and thrown: the message says what is wrong with it.
     */
    public byte[] answer(byte[] body) throws BadReview {
        return answer(new ByteArrayInputStream(body));
    }

    /** A body read in place: the stream must support mark and reset over the whole body. */
    public byte[] answer(ByteArrayInputStream body) throws BadReview {
        long start = System.nanoTime();
        AdmissionRequest request;
        try {
            request = reader.read(body);
        } catch (BadReview bad) {
            metrics.record(Outcome.BAD_REQUEST, System.nanoTime() - start);
            throw bad;
        }
        AdmissionAnswer answer = admission.decide(request);
        byte[] review = writer.write(answer);
        metrics.record(answer.outcome(), System.nanoTime() - start);
        return review;
    }
}
