package io.nativesidecar.admission.http;

import io.nativesidecar.admission.AdmissionPath;
import io.nativesidecar.admission.CurrentEngine;
import io.nativesidecar.admission.WarmUpReviews;
import io.nativesidecar.config.WebhookConfig;
import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;

/**
 * Readiness waits for this: once the HTTPS server listens, the sample review answered in-process
 * ({@link WarmUpReviews}) and, at the same time, over HTTPS on fresh connections to the server itself ({@link WarmUpRequests}), so
 * that the first pod the API server sends after ready does not pay for class loading, the first TLS handshake,
 * Jackson's (de)serializers and the interpreter. None of it counts in the webhook's {@code nativesidecar_*} metrics;
 * Quarkus's own HTTP server timers do see the HTTPS requests. A warm-up that fails is logged and readiness goes on:
 * slower first reviews are better than a server that never gets ready.
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    /**
     * Requests over HTTPS, each on a new connection: the first handshake is what costs (Netty builds its SSL
     * context then); the second sees that the next one does not.
     */
    static final int HTTPS_REVIEWS = 2;

    private final WarmUpReviews inProcess;
    private final int reviews;
    private volatile boolean done;

    @Inject
    public WarmUp(CurrentEngine engine, WebhookConfig config) {
        this(new WarmUpReviews(engine.get()), config.admission().warmUpReviews());
    }

    WarmUp(WarmUpReviews inProcess, int reviews) {
        this.inProcess = inProcess;
        this.reviews = reviews;
    }

    void start(@ObservesAsync HttpsServerStart started) {
        // Quarkus opens the management port first: without this, readiness could be up before the HTTPS port
        // listens, and the API server's first reviews would be refused (fail-open: pods admitted unconverted).
        if (reviews <= 0) {
            done = true;
            return;
        }
        // The port the server listens on (a configured 0 would be a random one: the warm-up over HTTPS then fails
        // and is logged; readiness still comes).
        int port = started.options().getPort();
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            try {
                // The first handshake builds Netty's SSL context on an event loop, most of a second spent loading
                // classes (Netty probes for Bouncy Castle's provider then); it runs beside the in-process reviews.
                CompletableFuture<Long> https = CompletableFuture.supplyAsync(() -> {
                    WarmUpRequests.send(port, WarmUpReviews.sample(), HTTPS_REVIEWS);
                    return System.nanoTime();
                }, runnable -> new Thread(runnable, "warm-up-https").start());
                int converted = inProcess.answer(reviews);
                long inProcess = System.nanoTime();
                long overHttps = https.join();
                LOG.infof("warm-up: %d sample reviews (%d converted) in %d ms, and %d over HTTPS in %d ms", reviews, converted,
                        (inProcess - start) / 1_000_000, HTTPS_REVIEWS, (overHttps - start) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warnf("warm-up failed (the first reviews will be slower): %s", e.toString());
            } finally {
                done = true;
            }
        }, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether the HTTPS server listens and the warm-up is over (done, failed or turned off): readiness waits for
     * it.
     */
    boolean done() {
        return done;
    }

    /** The path that answers the warm-up's own HTTPS requests. */
    AdmissionPath path() {
        return inProcess.path();
    }

    /** Readiness: up once the warm-up is over. */
    @Readiness
    @ApplicationScoped
    static class Check implements HealthCheck {
        private final WarmUp warmUp;

        Check(WarmUp warmUp) {
            this.warmUp = warmUp;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("warm-up").status(warmUp.done()).build();
        }
    }
}
