package io.nativesidecar.admission;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.cluster.ClusterFactsSource;
import io.nativesidecar.conversion.ConversionDefaults;
import io.nativesidecar.conversion.SidecarConverter;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint method itself, for what the HTTP tests cannot provoke. */
class MutateResourceTest {

    private final AdmissionMetrics metrics = new AdmissionMetrics(new SimpleMeterRegistry(), 8, List.of());
    private final MutateResource resource = new MutateResource(
            new PodAdmission(new SidecarConverter(ConversionDefaults.standard()), new ClusterFactsSource(), metrics, true), metrics);

    @Test
    void aBodyThatBreaksOffWhileReadIsABadRequestNotAServerError() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        Response response = resource.mutate("application/json", broken);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(String.valueOf(response.getEntity())).contains("the body could not be read");
    }

    @Test
    void aBodyFromAnyStreamIsReadLikeOneInMemory() {
        byte[] review = WarmUp.sample();
        Response response = resource.mutate("application/json", new java.io.BufferedInputStream(new java.io.ByteArrayInputStream(review)));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(new String((byte[]) response.getEntity(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"uid\":\"warm-up\"", "\"patch\"");
    }
}
