package io.nativesidecar.certificates;

import io.nativesidecar.config.WebhookConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.BaseTlsConfiguration;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The certificate the HTTPS server presents, chosen once at start-up (before the server opens its port) and
 * registered in Quarkus's TLS registry as the configuration {@value #TLS_CONFIGURATION}: the self-managed one,
 * {@code nativesidecar.tls.cert-file}/{@code key-file}, a key store configured under
 * {@code quarkus.tls.webhook.key-store} (left to Quarkus), or else a self-signed pair generated now.
 */
@ApplicationScoped
public class ServingCertificate {

    private static final Logger LOG = Logger.getLogger(ServingCertificate.class);
    /** The named TLS configuration the HTTPS server uses; the management port stays plain HTTP. */
    public static final String TLS_CONFIGURATION = "webhook";

    /** Where the served certificate comes from. */
    public enum Source {
        QUARKUS_TLS, FILES, SELF_SIGNED, SELF_MANAGED;

        /** As in messages: {@code self-managed}. */
        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private final WebhookConfig config;
    private final TlsConfigurationRegistry registry;
    private final Event<CertificateUpdatedEvent> certificateUpdated;
    private final CertificateFileWatcher watcher;
    private final Vertx vertx;
    private volatile PemFilesTlsConfiguration served;

    public ServingCertificate(WebhookConfig config, TlsConfigurationRegistry registry,
                              Event<CertificateUpdatedEvent> certificateUpdated, CertificateFileWatcher watcher, Vertx vertx) {
        this.config = config;
        this.registry = registry;
        this.certificateUpdated = certificateUpdated;
        this.watcher = watcher;
        this.vertx = vertx;
    }

    /** Before any other start-up observer: the self-managed bootstrap and readiness read what is chosen here. */
    void register(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started) throws IOException {
        Optional<TlsConfiguration> configured = registry.get(TLS_CONFIGURATION);
        boolean quarkusKeyStore = configured.map(TlsConfiguration::getKeyStoreOptions).isPresent();
        Source source = choose(config.certificates().mode(), config.tls().certFile(), config.tls().keyFile(), quarkusKeyStore);
        if (source == Source.QUARKUS_TLS) {
            quarkusPemFiles().ifPresent(pem -> watcher.watch(pem, null, () -> {
                reloadConfigured(configured.orElseThrow());
                return null;
            }));
            return;
        }
        checkNoQuarkusReload(source, org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.tls." + TLS_CONFIGURATION + ".reload-period", String.class));
        SelfSignedCertificate.PemFiles files = switch (source) {
            case QUARKUS_TLS -> throw new IllegalStateException("handled above");
            case FILES -> new SelfSignedCertificate.PemFiles(
                    Path.of(config.tls().certFile().orElseThrow()), Path.of(config.tls().keyFile().orElseThrow()));
            // A placeholder until the managed certificate is installed over it; readiness waits for that.
            case SELF_MANAGED -> SelfSignedCertificate.write(Path.of(config.certificates().directory()),
                    List.of("localhost"), Duration.ofDays(1));
            case SELF_SIGNED -> selfSigned();
        };
        if (quarkusKeyStore) {
            LOG.infof("serving the %s certificate, not the key store configured under quarkus.tls.%s",
                    source.label(), TLS_CONFIGURATION);
        }
        served = new PemFilesTlsConfiguration(TLS_CONFIGURATION, configured.orElseGet(() -> new BaseTlsConfiguration() {
        }), files, vertx);
        registry.register(TLS_CONFIGURATION, served);
        if (source == Source.FILES) {
            watcher.watch(files, served.loadedBytes(), () -> {
                reload();
                return served.loadedBytes();
            });
        } else if (source == Source.SELF_SIGNED) {
            LOG.warn("No serving certificate configured (nativesidecar.tls.cert-file/key-file): serving a generated "
                    + "self-signed certificate. Fine for local use; an API server will not trust it.");
        }
    }

    /**
     * PEM files configured for Quarkus directly ({@code quarkus.tls.webhook.key-store.pem.0.*}): watched like ours, since
     * Quarkus re-reads them only with a {@code reload-period}, and then every period whether they changed or not.
     */
    private static Optional<SelfSignedCertificate.PemFiles> quarkusPemFiles() {
        org.eclipse.microprofile.config.Config quarkus = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        String prefix = "quarkus.tls." + TLS_CONFIGURATION + ".key-store.pem.0.";
        Optional<String> certificate = quarkus.getOptionalValue(prefix + "cert", String.class);
        Optional<String> key = quarkus.getOptionalValue(prefix + "key", String.class);
        return certificate.isPresent() && key.isPresent()
                ? Optional.of(new SelfSignedCertificate.PemFiles(Path.of(certificate.get()), Path.of(key.get()))) : Optional.empty();
    }

    private void reloadConfigured(TlsConfiguration configured) {
        if (configured.reload()) {
            certificateUpdated.fire(new CertificateUpdatedEvent(TLS_CONFIGURATION, configured));
        }
    }

    /**
     * Quarkus's own periodic reload would reload the configuration that this server's replaces (one without a key)
     * and hand it to the HTTPS server: refused at start, with the setting that does the job.
     */
    static void checkNoQuarkusReload(Source source, Optional<String> quarkusReloadPeriod) {
        if (source != Source.QUARKUS_TLS && quarkusReloadPeriod.isPresent()) {
            throw new IllegalStateException("quarkus.tls." + TLS_CONFIGURATION + ".reload-period cannot be used with the "
                    + source.label() + " certificate: this server reloads it itself "
                    + "(nativesidecar.tls.reload-period)");
        }
    }

    /** The product's own settings first; a key store configured for Quarkus directly next; a generated one last. */
    static Source choose(WebhookConfig.Certificates.Mode mode, Optional<String> certificateFile, Optional<String> keyFile,
                         boolean quarkusKeyStore) {
        if (mode == WebhookConfig.Certificates.Mode.SELF_MANAGED) {
            return Source.SELF_MANAGED;
        }
        if (certificateFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalStateException("nativesidecar.tls.cert-file and nativesidecar.tls.key-file must be set together");
        }
        if (certificateFile.isPresent()) {
            return Source.FILES;
        }
        return quarkusKeyStore ? Source.QUARKUS_TLS : Source.SELF_SIGNED;
    }

    static SelfSignedCertificate.PemFiles selfSigned() throws IOException {
        Path directory = Files.createTempDirectory("native-sidecar-webhook-tls");
        SelfSignedCertificate.PemFiles pem = SelfSignedCertificate.write(directory,
                List.of("localhost", "native-sidecar-webhook"), Duration.ofDays(365));
        directory.toFile().deleteOnExit();
        pem.certificate().toFile().deleteOnExit();
        pem.key().toFile().deleteOnExit();
        return pem;
    }

    /** Serves the files' current content to new connections; throws, keeping what is served, when they cannot be loaded. */
    public void reload() {
        PemFilesTlsConfiguration current = served;
        if (current == null) {
            throw new IllegalStateException("the serving certificate is a key store configured under quarkus.tls."
                    + TLS_CONFIGURATION + ", not files of this server's");
        }
        current.reload();
        certificateUpdated.fire(new CertificateUpdatedEvent(TLS_CONFIGURATION, current));
    }

    /** Writes a new pair over the served files and serves it. */
    public void replace(String certificatePem, String keyPem) {
        PemFilesTlsConfiguration current = served;
        if (current == null) {
            throw new IllegalStateException("no served files to replace");
        }
        try {
            SelfSignedCertificate.write(current.files().certificate().getParent(), certificatePem, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reload();
    }
}
