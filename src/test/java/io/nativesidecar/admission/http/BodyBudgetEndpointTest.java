package io.nativesidecar.admission.http;

import io.nativesidecar.testing.ConversionInvariants;
import io.nativesidecar.testing.RawHttps;
import io.nativesidecar.testing.Reviews;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nativesidecar.admission.max-bytes-in-flight} over HTTPS: with room for one 100,000-byte body, a second
 * waits until the first is answered or given up (the read timeout is 3 s in the tests).
 */
@QuarkusTest
@TestProfile(BodyBudgetEndpointTest.RoomForOne.class)
class BodyBudgetEndpointTest {

    public static class RoomForOne implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nativesidecar.admission.max-bytes-in-flight", "150000");
        }
    }

    private static final int SIZE = 100_000;
    /** A thread per client: the common pool may have one thread on a small machine, and would send them in turn. */
    private final ExecutorService clients = Executors.newFixedThreadPool(2);

    @TestHTTPResource(value = "/mutate", tls = true)
    URL mutate;

    /** What a client got, and when (nanoTime) the server closed the connection. */
    private record Exchange(String text, long endedAt) {
    }

    @Test
    void aSecondBodyIsReadOnceTheFirstIsAnswered() throws Exception {
        byte[] first = review("first");
        CompletableFuture<Exchange> holder = send(head(), 650,
                Arrays.copyOfRange(first, 0, 1_000), Arrays.copyOfRange(first, 1_000, SIZE));
        Thread.sleep(200);
        long sent = System.nanoTime();
        CompletableFuture<Exchange> waiter = send(head(), 0, review("second"));

        Exchange held = holder.get(10, TimeUnit.SECONDS);
        Exchange waited = waiter.get(10, TimeUnit.SECONDS);
        assertThat(held.text()).startsWith("HTTP/1.1 200").contains("\"uid\":\"first\"");
        assertThat(waited.text()).startsWith("HTTP/1.1 200").contains("\"uid\":\"second\"");
        // The first body's end is sent 1.3 s after its head, 1.1 s after the second was sent whole.
        assertThat(millisSince(sent, waited)).as("the second body was answered once the first was").isGreaterThan(900);
    }

    @Test
    void aBodyGivenUpForTimeLetsTheNextIn() throws Exception {
        CompletableFuture<Exchange> holder = send(head(), 50, Arrays.copyOfRange(review("stalled"), 0, 1_000));
        Thread.sleep(1_500);
        long sent = System.nanoTime();
        CompletableFuture<Exchange> waiter = send(head(), 0, review("next"));

        Exchange held = holder.get(10, TimeUnit.SECONDS);
        Exchange waited = waiter.get(10, TimeUnit.SECONDS);
        assertThat(held.text()).startsWith("HTTP/1.1 408");
        assertThat(waited.text()).startsWith("HTTP/1.1 200").contains("\"uid\":\"next\"");
        // The stalled body is given up 3 s after its head, 1.5 s after the next was sent whole.
        assertThat(millisSince(sent, waited)).as("the next body was read once the stalled one was given up").isGreaterThan(1_200);
    }

    private static long millisSince(long sent, Exchange exchange) {
        return (exchange.endedAt() - sent) / 1_000_000;
    }

    private String head() {
        return RawHttps.head(mutate, "Content-Type: application/json\r\nContent-Length: " + SIZE + "\r\nConnection: close\r\n");
    }

    private CompletableFuture<Exchange> send(String head, long pauseMillis, byte[]... pieces) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                String text = RawHttps.inPieces(mutate, head, pauseMillis, pieces);
                return new Exchange(text, System.nanoTime());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, clients);
    }

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    /** A review of a pod with no sidecar, padded with spaces to {@link #SIZE} bytes. */
    private static byte[] review(String uid) throws Exception {
        byte[] review = ConversionInvariants.JSON.writeValueAsBytes(Reviews.podCreate(uid,
                ConversionInvariants.pods(Path.of("src/test/resources/golden/no-sidecars.yaml")).get(0)));
        byte[] padded = Arrays.copyOf(review, SIZE);
        Arrays.fill(padded, review.length, SIZE, (byte) ' ');
        return padded;
    }
}
