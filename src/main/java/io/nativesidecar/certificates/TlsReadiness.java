package io.nativesidecar.certificates;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Date;
import java.util.Optional;

/**
 * Readiness: the server is ready once it holds a serving certificate that is currently valid. An
 * API server cannot reach a webhook without one, so traffic must not be routed here before.
 */
@Readiness
@ApplicationScoped
public class TlsReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(TlsReadiness.class);

    private final TlsConfigurationRegistry registry;
    private final SelfManagedCertificatesBootstrap selfManaged;

    public TlsReadiness(TlsConfigurationRegistry registry, SelfManagedCertificatesBootstrap selfManaged) {
        this.registry = registry;
        this.selfManaged = selfManaged;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<X509Certificate> certificate = servingCertificate();
        Date now = new Date();
        boolean valid = certificate.isPresent() && selfManaged.ready()
                && !now.before(certificate.get().getNotBefore()) && !now.after(certificate.get().getNotAfter());
        var response = HealthCheckResponse.named("serving-certificate").status(valid);
        certificate.ifPresent(c -> response.withData("subject", c.getSubjectX500Principal().getName())
                .withData("notAfter", c.getNotAfter().toInstant().toString()));
        return response.build();
    }

    /** The certificate the HTTPS server presents (the first certificate in its TLS configuration's key store). */
    public Optional<X509Certificate> servingCertificate() {
        Optional<TlsConfiguration> tls = registry.get(ServingCertificate.TLS_CONFIGURATION);
        KeyStore keyStore = tls.map(TlsConfiguration::getKeyStore).orElse(null);
        if (keyStore == null) {
            return Optional.empty();
        }
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                Certificate certificate = keyStore.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
                    return Optional.of(x509);
                }
            }
        } catch (KeyStoreException e) {
            LOG.debug("cannot read the serving key store", e);
        }
        return Optional.empty();
    }
}
