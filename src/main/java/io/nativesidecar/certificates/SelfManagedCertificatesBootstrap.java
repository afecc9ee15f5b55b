package io.nativesidecar.certificates;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.certificates.CertificateAuthority.Material;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Runs {@link SelfManagedCertificates} when {@code nativesidecar.certificates.mode=self-managed}. */
@ApplicationScoped
public class SelfManagedCertificatesBootstrap {

    private static final Logger LOG = Logger.getLogger(SelfManagedCertificatesBootstrap.class);
    static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private final WebhookConfig.Certificates config;
    private final Instance<KubernetesClient> client;
    private final ServingCertificate serving;
    private volatile SelfManagedCertificates certificates;

    public SelfManagedCertificatesBootstrap(WebhookConfig config, Instance<KubernetesClient> client,
                                            ServingCertificate serving) {
        this.config = config.certificates();
        this.client = client;
        this.serving = serving;
    }

    /** At start-up, so that a server without its namespace fails to start instead of never getting ready. */
    void prepare(@Observes StartupEvent started) {
        if (config.mode() != WebhookConfig.Certificates.Mode.SELF_MANAGED) {
            return;
        }
        String namespace = config.namespace().or(() -> java.util.Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                .or(SelfManagedCertificatesBootstrap::serviceAccountNamespace)
                .orElseThrow(() -> new IllegalStateException(
                        "self-managed certificates need the server's namespace: set POD_NAMESPACE or nativesidecar.certificates.namespace"));
        certificates = new SelfManagedCertificates(client.get(), new SelfManagedCertificates.Settings(namespace,
                config.secretName(), config.serviceName(), config.webhookConfiguration(), config.caValidity(),
                config.servingValidity(), config.renewBefore(), config.checkEvery()), this::install, Clock.systemUTC());
    }

    /**
     * Only once the HTTPS server listens: it subscribes to certificate updates then, and a managed certificate
     * installed before that would reach no one, leaving the placeholder served while readiness saw the new one.
     */
    void start(@ObservesAsync HttpsServerStart started) {
        if (certificates != null) {
            certificates.start();
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (certificates != null) {
            certificates.close();
        }
    }

    /** True unless this mode is on and its certificate is not yet served. */
    public boolean ready() {
        return config.mode() != WebhookConfig.Certificates.Mode.SELF_MANAGED || (certificates != null && certificates.installed());
    }

    private void install(Material material) {
        // Over the placeholder that ServingCertificate wrote and serves.
        serving.replace(material.certificate(), material.key());
        LOG.infof("serving the self-managed certificate, valid until %s", material.servingNotAfter());
    }

    private static java.util.Optional<String> serviceAccountNamespace() {
        try {
            return Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)
                    ? java.util.Optional.of(Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
