package io.nativesidecar.admission;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.cluster.ClusterFactsSource;
import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.conversion.SidecarConverter;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Runs a sample review through the admission path once the server has started, so that the first
 * pod the API server sends does not pay for class loading, Jackson's (de)serializers for the pod
 * model and the interpreter: measured over HTTPS, the first review took 1.25 s after the TLS
 * handshake, the next ones 20–50 ms. It runs on its own thread a second after start-up (started at
 * once, it competed with the last steps of start-up and delayed readiness by 0.1–0.2 s), through its
 * own {@link PodAdmission} with throwaway metrics, so it counts in no metric. The
 * sample is the Istio "hello" pod of the Istio vectors (Istio's injection test data, Apache 2.0).
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    static final String SAMPLE = "/warm-up/review.json";
    static final long DELAY_MILLIS = 1000;

    private final SidecarConverter engine;
    private final int reviews;

    public WarmUp(CurrentEngine engine, WebhookConfig config) {
        this.engine = engine.get();
        this.reviews = config.admission().warmUpReviews();
    }

    void start(@Observes StartupEvent started) {
        if (reviews <= 0) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(DELAY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long start = System.nanoTime();
            try {
                int converted = run(engine, reviews);
                LOG.debugf("warm-up: %d sample reviews (%d converted) in %d ms", reviews, converted,
                        (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warnf("warm-up failed (the first reviews will be slower): %s", e.toString());
            }
        }, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Answers the sample review {@code count} times; returns how many answers carried a patch. */
    static int run(SidecarConverter engine, int count) {
        byte[] review = sample();
        AdmissionMetrics throwaway = new AdmissionMetrics(new SimpleMeterRegistry(), 1, List.of());
        AdmissionPath path = new AdmissionPath(new PodAdmission(engine, new ClusterFactsSource(), throwaway, true), throwaway);
        int converted = 0;
        for (int i = 0; i < count; i++) {
            AdmissionPath.Answer answer = path.answer(review);
            if (answer.review() != null && new String(answer.review(), java.nio.charset.StandardCharsets.UTF_8).contains("\"patch\"")) {
                converted++;
            }
        }
        return converted;
    }

    static byte[] sample() {
        try (InputStream in = WarmUp.class.getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(SAMPLE + " is missing from the application");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
