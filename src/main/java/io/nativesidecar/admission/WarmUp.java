package io.nativesidecar.admission;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.cluster.ClusterFactsSource;
import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.conversion.SidecarConverter;
import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Readiness waits for this: the sample review answered in-process, then over HTTPS on fresh connections to the
 * server itself, so that the first pod the API server sends after ready does not pay for class loading, the
 * first TLS handshake (Netty sets up its SSL context then), Jackson's (de)serializers and the interpreter.
 * The warm-up's own reviews go through a {@link PodAdmission} of its own with throwaway metrics: they count in
 * none of the webhook's {@code nativesidecar_*} metrics (its HTTPS requests carry a token that only this process
 * knows); Quarkus's own HTTP server timers do see its two HTTPS requests. A warm-up that
 * fails is logged and readiness goes on: slower first reviews are better than a server that never gets ready.
 * The sample is the Istio "hello" pod of the Istio vectors (Istio's injection test data, Apache 2.0).
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    static final String SAMPLE = "/warm-up/review.json";
    /** The header that marks the warm-up's own HTTPS requests, and its value, known only to this process. */
    static final String HEADER = "X-Nativesidecar-Warm-Up";
    private static final String TOKEN = UUID.randomUUID().toString();
    /**
     * Requests over HTTPS, each on a new connection: the first handshake is what costs (Netty builds its SSL
     * context then); the second sees that the next one does not.
     */
    static final int HTTPS_REVIEWS = 2;
    private static final long HTTPS_TIMEOUT_SECONDS = 10;

    private final SidecarConverter engine;
    private final int reviews;
    private final AdmissionPath path;
    private volatile boolean done;

    public WarmUp(CurrentEngine engine, WebhookConfig config) {
        this.engine = engine.get();
        this.reviews = config.admission().warmUpReviews();
        this.path = uncounted(this.engine);
        this.done = reviews <= 0;
    }

    void start(@ObservesAsync HttpsServerStart started) {
        if (done) {
            return;
        }
        // The port the server listens on (a configured 0 would be a random one: the warm-up over HTTPS then fails
        // and is logged; readiness still comes).
        int port = started.options().getPort();
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            try {
                int converted = run(path, reviews);
                long inProcess = System.nanoTime();
                overHttps(port);
                LOG.infof("warm-up: %d sample reviews (%d converted) in %d ms, then %d over HTTPS in %d ms", reviews, converted,
                        (inProcess - start) / 1_000_000, HTTPS_REVIEWS, (System.nanoTime() - inProcess) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warnf("warm-up failed (the first reviews will be slower): %s", e.toString());
            } finally {
                done = true;
            }
        }, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the warm-up is over (done, failed or turned off): readiness waits for it. */
    boolean done() {
        return done;
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

    /** Whether a request is one of the warm-up's own. */
    static boolean isOwn(String header) {
        return TOKEN.equals(header);
    }

    /** The path that answers the warm-up's own requests. */
    AdmissionPath path() {
        return path;
    }

    /**
     * The sample over HTTPS on fresh connections, with the JDK's own TLS socket: the handshake classes are the
     * ones the server side uses too, and no HTTP client has to be loaded for it. Any certificate is trusted:
     * it is the server's own on loopback, whichever it is (a self-managed one may still be the placeholder).
     */
    private static void overHttps(int port) {
        byte[] review = sample();
        byte[] head = ("POST " + MutateRoute.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + HEADER + ": " + TOKEN + "\r\nContent-Length: " + review.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new TrustingAnyCertificate()}, null);
            for (int i = 0; i < HTTPS_REVIEWS; i++) {
                try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
                    socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(HTTPS_TIMEOUT_SECONDS));
                    OutputStream out = socket.getOutputStream();
                    out.write(head);
                    out.write(review);
                    out.flush();
                    String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                    if (!status.equals("HTTP/1.1 200")) {
                        throw new IllegalStateException("the sample review over HTTPS was answered '" + status + "'");
                    }
                    socket.getInputStream().readAllBytes();
                }
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the sample review over HTTPS failed: " + e, e);
        }
    }

    /** The warm-up talks to this server itself, on loopback. */
    private static final class TrustingAnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** A path with its own throwaway metrics and no Events. */
    static AdmissionPath uncounted(SidecarConverter engine) {
        AdmissionMetrics throwaway = new AdmissionMetrics(new SimpleMeterRegistry(), 1, List.of());
        return new AdmissionPath(new PodAdmission(engine, new ClusterFactsSource(), throwaway, true), throwaway);
    }

    /** Answers the sample review {@code count} times; returns how many answers carried a patch. */
    static int run(SidecarConverter engine, int count) {
        return run(uncounted(engine), count);
    }

    private static int run(AdmissionPath path, int count) {
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
