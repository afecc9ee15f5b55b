package io.nativesidecar.admission.http;

import io.nativesidecar.admission.WarmUpReviews;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.http.HttpServerOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTest {

    @Test
    void turnedOffReadinessStillWaitsForTheHttpsServer() {
        // Quarkus serves the management port, and so readiness, before the HTTPS port listens.
        WarmUp warmUp = new WarmUp(new WarmUpReviews(new SidecarConverter(Configuration.builtIn())), 0);
        WarmUp.Check readiness = new WarmUp.Check(warmUp);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        warmUp.start(new HttpsServerStart(new HttpServerOptions().setPort(8443)));

        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
