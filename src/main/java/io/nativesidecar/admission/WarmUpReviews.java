package io.nativesidecar.admission;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.cluster.ClusterFactsSource;
import io.nativesidecar.conversion.SidecarConverter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The warm-up's reviews: a sample review answered in-process, so that the first pod the API server sends does not
 * pay for class loading, Jackson's (de)serializers ({@link AdmissionJson}) and the interpreter. They go through an
 * {@link AdmissionPath} of their own with throwaway metrics and no Events: they count in none of the webhook's
 * {@code nativesidecar_*} metrics. The sample is the Istio "hello" pod of the Istio vectors (Istio's injection test
 * data, Apache 2.0).
 */
public final class WarmUpReviews {

    static final String SAMPLE = "/warm-up/review.json";

    private final AdmissionPath path;

    public WarmUpReviews(SidecarConverter engine) {
        AdmissionMetrics throwaway = new AdmissionMetrics(new SimpleMeterRegistry(), 1, List.of());
        this.path = new AdmissionPath(new PodAdmission(engine, new ClusterFactsSource(), throwaway, true), throwaway);
    }

    /** The path that answers the warm-up's reviews, wherever they come from. */
    public AdmissionPath path() {
        return path;
    }

    /** Answers the sample review {@code count} times; returns how many answers carried a patch. */
    public int answer(int count) {
        byte[] review = sample();
        int converted = 0;
        try {
            for (int i = 0; i < count; i++) {
                if (new String(path.answer(review), StandardCharsets.UTF_8).contains("\"patch\"")) {
                    converted++;
                }
            }
        } catch (BadReview bad) {
            throw new IllegalStateException(SAMPLE + " is not a review: " + bad.getMessage());
        }
        return converted;
    }

    /** The sample review's bytes. */
    public static byte[] sample() {
        try (InputStream in = WarmUpReviews.class.getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(SAMPLE + " is missing from the application");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
