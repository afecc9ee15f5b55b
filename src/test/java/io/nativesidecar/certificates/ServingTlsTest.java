package io.nativesidecar.certificates;

import io.nativesidecar.testing.RawHttps;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLSocket;
import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;

/** The API server speaks TLS 1.2 or 1.3 to webhooks; older protocols must be refused. */
@QuarkusTest
class ServingTlsTest {

    @TestHTTPResource(value = "/mutate", tls = true)
    URL mutate;

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void acceptsCurrentProtocols(String protocol) throws Exception {
        try (SSLSocket socket = RawHttps.connect(mutate, protocol)) {
            assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
        }
    }

    @Test
    void refusesTls11() throws Exception {
        // The server itself is asked: the same hand-written ClientHello gets a ServerHello when it offers TLS 1.2,
        // and a protocol_version alert (70) when it offers TLS 1.1.
        assertThat(RawHttps.answerToClientHello(mutate, 0x0303)[0]).as("TLS 1.2: a ServerHello").isEqualTo(22);
        assertThat(RawHttps.answerToClientHello(mutate, 0x0302)).as("TLS 1.1: a protocol_version alert").containsExactly(21, 70);
        // Not only the JDK's own disabled list: the server's TLS configuration offers 1.3 and 1.2 alone.
        assertThat(org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.tls.webhook.protocols", String.class))
                .isEqualTo("TLSv1.3,TLSv1.2");
    }

    @Test
    void servesTheConfiguredCertificate() throws Exception {
        assertThat(RawHttps.servedCertificate(mutate).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    }
}
