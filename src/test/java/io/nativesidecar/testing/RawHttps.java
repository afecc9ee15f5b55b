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

    /**
     * Sends a ClientHello written by hand (the JDK's own client refuses to offer TLS 1.1 at all, so it would never
     * ask the server) offering only {@code version} (0x0302 TLS 1.1, 0x0303 TLS 1.2; no supported_versions
     * extension), and returns the type of the first record the server answers with: 22 (handshake: a
     * ServerHello) or 21 (alert), with the alert's description; or -1 if the server closed without a word.
     */
    public static int[] answerToClientHello(URL url, int version) throws IOException {
        java.io.ByteArrayOutputStream hello = new java.io.ByteArrayOutputStream();
        hello.write(version >> 8);
        hello.write(version);
        hello.writeBytes(new byte[32]); // random
        hello.write(0); // no session id
        int[] suites = {0xC02B, 0xC02F, 0xC009, 0xC013}; // ECDHE_ECDSA/RSA with AES_128_GCM_SHA256 and AES_128_CBC_SHA
        hello.write(0);
        hello.write(suites.length * 2);
        for (int suite : suites) {
            hello.write(suite >> 8);
            hello.write(suite);
        }
        hello.write(1); // compression methods: null
        hello.write(0);
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
            0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01}; // signature_algorithms
        hello.write(extensions.length >> 8);
        hello.write(extensions.length);
        hello.writeBytes(extensions);
        byte[] body = hello.toByteArray();
        java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
        record.writeBytes(new byte[] {22, 3, 1}); // handshake record, TLS 1.0 record version as clients send it
        record.write((body.length + 4) >> 8);
        record.write(body.length + 4);
        record.writeBytes(new byte[] {1, 0}); // ClientHello, 24-bit length
        record.write(body.length >> 8);
        record.write(body.length);
        record.writeBytes(body);
        try (java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(record.toByteArray());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(7);
            if (header.length < 5) {
                return new int[] {-1, -1};
            }
            // An alert record: type 21, version, length 2, then level and description.
            return new int[] {header[0], header[0] == 21 && header.length == 7 ? header[6] : -1};
        }
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
