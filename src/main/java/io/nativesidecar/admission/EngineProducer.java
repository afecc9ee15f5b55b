package io.nativesidecar.admission;

import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.conversion.ConversionDefaults;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.conversion.SidecarProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Map;

/** Builds the one engine the server uses from its configuration. */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @ApplicationScoped
    SidecarConverter engine(WebhookConfig config) {
        return new SidecarConverter(new ConversionDefaults(
                config.sidecars(),
                config.meshProxies(),
                config.meshSetupContainers(),
                config.startupFailureThreshold(),
                Map.of("istio-proxy", SidecarProfile.ISTIO_PROXY)));
    }
}
