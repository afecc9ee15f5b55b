package io.nativesidecar.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/** HTTPS at the socket level, for what HTTP clients hide: handshakes, certificates, early answers. */
public final class RawHttps {

    private RawHttps() {
    }

    /** Trusts any certificate: the tests check which one is served, not who signed it. */
    public static SSLContext trustingEverything(String protocol) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(null, new TrustManager[] {new X509TrustManager() {
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
        }}, new SecureRandom());
        return context;
    }

    public static SSLSocket connect(URL url, String protocol) throws IOException, GeneralSecurityException {
        SSLSocket socket = (SSLSocket) trustingEverything("TLS").getSocketFactory().createSocket(url.getHost(), url.getPort());
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    /** The certificate a fresh handshake presents. */
    public static X509Certificate servedCertificate(URL url) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(url, "TLSv1.3")) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** Sends only the request head (announcing {@code contentLength} bytes) and returns the status line. */
    public static String statusAfterHead(URL url, String contentType, long contentLength) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(url, "TLSv1.3")) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return statusLine(socket.getInputStream());
        }
    }

    /** Streams a chunked body of up to {@code maxBytes} and returns the status line the server answered with. */
    public static String statusAfterChunks(URL url, long maxBytes) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(url, "TLSv1.3")) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (long sent = 0; sent < maxBytes; sent += chunk.length) {
                    out.write(header);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedEarly) {
                // The server may answer and close before the body is complete; its answer is still there.
            }
            return statusLine(socket.getInputStream());
        }
    }

    /**
     * Sends {@code body} with chunked transfer encoding, {@code chunkSize} bytes per chunk and each chunk
     * flushed on its own, asking the server to close afterwards; returns the whole response as text.
     */
    public static String chunked(URL url, byte[] body, int chunkSize) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(url, "TLSv1.3")) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nContent-Type: application/json"
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int offset = 0; offset < body.length; offset += chunkSize) {
                int length = Math.min(chunkSize, body.length - offset);
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, offset, length);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Sends a request head asking for {@code 100 Continue}, then the body once the server says so; returns the whole exchange. */
    public static String afterContinue(URL url, byte[] body) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(url, "TLSv1.3")) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + body.length + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim = statusLine(in);
            if (!interim.startsWith("HTTP/1.1 100")) {
                return interim + "\n" + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            out.write(body);
            out.flush();
            return interim + "\n" + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends a request head and the given pieces of its body, each flushed on its own after a pause of
     * {@code pauseMillis}, then nothing more; returns whatever the server answers until it closes or the
     * socket times out (10 s).
     */
    public static String inPieces(URL url, String head, long pauseMillis, byte[]... pieces) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(url, "TLSv1.3")) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (byte[] piece : pieces) {
                sleep(pauseMillis);
                out.write(piece);
                out.flush();
            }
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (java.net.SocketTimeoutException stillOpen) {
                answer.write("\n(still open)".getBytes(StandardCharsets.US_ASCII));
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** The head of a POST to {@code url}, with the given extra header lines (each ending in CRLF). */
    public static String head(URL url, String headers) {
        return "POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n" + headers + "\r\n";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
