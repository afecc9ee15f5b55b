package io.nativesidecar.admission.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The warm-up's own HTTPS requests to this server: the sample review on fresh connections, so that the first TLS
 * handshake (Netty sets up its SSL context then) is not the API server's. They carry a token that only this process
 * knows, by which the route tells them apart and answers them with the warm-up's uncounted path.
 */
final class WarmUpRequests {

    /** The header that marks the warm-up's own requests, and its value, known only to this process. */
    static final String HEADER = "X-Nativesidecar-Warm-Up";
    private static final String TOKEN = UUID.randomUUID().toString();
    private static final long TIMEOUT_SECONDS = 10;

    private WarmUpRequests() {
    }

    /** Whether a request with this value of {@link #HEADER} is one of the warm-up's own. */
    static boolean isOwn(String header) {
        return TOKEN.equals(header);
    }

    /**
     * Posts the review {@code count} times, each on a new connection, with the JDK's own TLS socket: the handshake
     * classes are the ones the server side uses too, and no HTTP client has to be loaded for it. Any certificate is
     * trusted: it is the server's own on loopback, whichever it is (a self-managed one may still be the placeholder).
     */
    static void send(int port, byte[] review, int count) {
        byte[] head = ("POST " + MutateRoute.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + HEADER + ": " + TOKEN + "\r\nContent-Length: " + review.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new TrustingAnyCertificate()}, null);
            for (int i = 0; i < count; i++) {
                try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
                    socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
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
        } catch (IOException | GeneralSecurityException e) {
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
}
