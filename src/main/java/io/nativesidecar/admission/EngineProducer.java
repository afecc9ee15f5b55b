package io.nativesidecar.admission;

import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Builds the one engine the server uses from its configuration. */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @ApplicationScoped
    SidecarConverter engine(WebhookConfig config) {
        Configuration configuration = Configuration.builtIn();
        if (config.sidecars().isPresent()) {
            configuration = configuration.withSidecars(config.sidecars().get());
        }
        if (config.startupFailureThreshold().isPresent()) {
            configuration = configuration.withStartupFailureThreshold(config.startupFailureThreshold().getAsInt());
        }
        return new SidecarConverter(configuration);
    }
}
