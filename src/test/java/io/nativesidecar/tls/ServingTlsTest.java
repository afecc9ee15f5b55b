package io.nativesidecar.tls;

import io.nativesidecar.testing.RawHttps;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLSocket;
import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void refusesTls11() {
        assertThatThrownBy(() -> RawHttps.connect(mutate, "TLSv1.1").close()).isInstanceOf(Exception.class);
    }

    @Test
    void servesTheConfiguredCertificate() throws Exception {
        assertThat(RawHttps.servedCertificate(mutate).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    }
}
