package io.nativesidecar.admission;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;

/**
 * The whole admission path without HTTP: the bytes of an AdmissionReview in, the bytes of the answer out
 * ({@link MutateRoute} serves it as {@code POST /mutate}; the warm-up and the benchmarks call it directly).
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

    /** The answer to a body: the AdmissionReview bytes, or why the body is not a review (then {@code review} is null). */
    public record Answer(byte[] review, String error) {
    }

    public AdmissionPath(PodAdmission admission, AdmissionMetrics metrics) {
        this.admission = admission;
        this.metrics = metrics;
    }

    public Answer answer(byte[] body) {
        return answer(new ByteArrayInputStream(body));
    }

    /** A body read in place: the stream must support mark and reset over the whole body. */
    Answer answer(ByteArrayInputStream body) {
        long start = System.nanoTime();
        AdmissionRequest request;
        try {
            request = reader.read(body);
        } catch (BadReview bad) {
            metrics.record(Outcome.BAD_REQUEST, System.nanoTime() - start);
            return new Answer(null, bad.getMessage());
        }
        PodAdmission.Decision decision = admission.decide(request);
        byte[] answer = writer.write(decision.answer());
        metrics.record(decision.outcome(), System.nanoTime() - start);
        return new Answer(answer, null);
    }
}
