package io.nativesidecar.certificates;

import io.nativesidecar.testing.RawHttps;
import io.quarkus.tls.BaseTlsConfiguration;
import io.vertx.core.net.SSLOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The serving key and chain as the HTTPS server gets them, without Quarkus: what a real handshake presents. */
class PemFilesTlsConfigurationTest {

    @TempDir
    Path directory;

    @Test
    void servesAnRsaPkcs1KeyWithItsWholeChainAsCertManagerWritesThem() throws Exception {
        // A CA, and a serving certificate it issued whose key is PKCS#1 ("RSA PRIVATE KEY"), the chain in tls.crt.
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
                "-subj", "/CN=test CA");
        openssl("genrsa", "-traditional", "-out", "tls.key", "2048");
        openssl("req", "-new", "-key", "tls.key", "-out", "tls.csr", "-subj", "/CN=rsa.localhost");
        openssl("x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.crt",
                "-days", "1");
        assertThat(Files.readString(directory.resolve("tls.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        Files.writeString(directory.resolve("tls.crt"),
                Files.readString(directory.resolve("leaf.crt")) + Files.readString(directory.resolve("ca.crt")));

        PemFilesTlsConfiguration tls = configuration();

        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            assertThat(served(tls, protocol)).extracting(c -> ((X509Certificate) c).getSubjectX500Principal().getName())
                    .as(protocol).containsExactly("CN=rsa.localhost", "CN=test CA");
        }
        assertThat(Collections.list(tls.getKeyStore().aliases())).hasSize(1);
    }

    @Test
    void servesAnEcKeyAndSeesAReplacedPairOnReload() throws Exception {
        copy("tls");
        PemFilesTlsConfiguration tls = configuration();
        assertThat(((X509Certificate) served(tls, "TLSv1.2")[0]).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");

        // Text around the PEM blocks (OpenSSL's "Bag Attributes", a comment in any charset) is skipped.
        copy("rotated");
        Files.write(directory.resolve("tls.crt"), concat("# Zertifikat für rotated.localhost\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                Files.readAllBytes(directory.resolve("tls.crt"))));
        tls.reload();
        assertThat(((X509Certificate) served(tls, "TLSv1.3")[0]).getSubjectX500Principal().getName()).isEqualTo("CN=rotated.localhost");
        // What the HTTPS server takes on a reload keeps the configured settings.
        assertThat(tls.getSSLOptions().getEnabledSecureTransportProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        assertThat(tls.getSSLOptions().getSslHandshakeTimeout()).isEqualTo(7);
        assertThat(tls.getSSLOptions().getEnabledCipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAndTheServedPairStays() throws Exception {
        copy("tls");
        PemFilesTlsConfiguration tls = configuration();
        // Half a rotation: the new key has arrived, its certificate not yet.
        Files.copy(Path.of("src/test/resources/tls/rotated.key"), directory.resolve("tls.key"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(tls::reload).hasMessageContaining("the private key does not belong to the certificate CN=localhost");
        assertThat(((X509Certificate) served(tls, "TLSv1.3")[0]).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    }

    @Test
    void aCertificateFileWithoutACertificateSaysSo() throws Exception {
        copy("tls");
        Files.writeString(directory.resolve("tls.crt"), Files.readString(directory.resolve("tls.key")));
        assertThatThrownBy(this::configuration).hasMessageContaining("no PEM certificate")
                .hasMessageContaining(directory.resolve("tls.crt").toString());
    }

    /** Configured settings that must survive: two protocols, a handshake timeout, two cipher suites. */
    private PemFilesTlsConfiguration configuration() {
        return new PemFilesTlsConfiguration("webhook", new BaseTlsConfiguration() {
            @Override
            public SSLOptions getSSLOptions() {
                return new SSLOptions().setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3")).setSslHandshakeTimeout(7)
                        .addEnabledCipherSuite("TLS_AES_128_GCM_SHA256").addEnabledCipherSuite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            }
        }, new SelfSignedCertificate.PemFiles(directory.resolve("tls.crt"), directory.resolve("tls.key")), null);
    }

    /**
     * The chain a JDK client receives, over {@code protocol}, from a server whose key managers are those of the options
     * the HTTPS server is given (Vert.x's wrapper around {@link ServingKeyManager}).
     */
    private static Certificate[] served(PemFilesTlsConfiguration tls, String protocol) throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(tls.getSSLOptions().getKeyCertOptions().getKeyManagerFactory(null).getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0)) {
            server.setEnabledProtocols(new String[] {protocol});
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.startHandshake();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) RawHttps.trustingEverything("TLS").getSocketFactory()
                    .createSocket("127.0.0.1", server.getLocalPort())) {
                client.startHandshake();
                assertThat(client.getSession().getProtocol()).isEqualTo(protocol);
                Certificate[] chain = client.getSession().getPeerCertificates();
                accepted.get(10, TimeUnit.SECONDS);
                return chain;
            }
        }
    }

    private void copy(String name) throws Exception {
        Files.copy(Path.of("src/test/resources/tls/" + name + ".crt"), directory.resolve("tls.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of("src/test/resources/tls/" + name + ".key"), directory.resolve("tls.key"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private void openssl(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
