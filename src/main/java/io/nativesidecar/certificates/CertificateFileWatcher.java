package io.nativesidecar.certificates;

import io.nativesidecar.config.WebhookConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serves a replaced certificate (a rotated Secret) without a restart, and only when it really
 * changed: Quarkus's own periodic reload swaps the TLS context every period, and a connection that
 * arrives during a swap can be dropped, so the files are compared first.
 */
@ApplicationScoped
public class CertificateFileWatcher {

    private static final Logger LOG = Logger.getLogger(CertificateFileWatcher.class);

    private final TlsConfigurationRegistry registry;
    private final Event<CertificateUpdatedEvent> certificateUpdated;
    private final WebhookConfig.Tls config;
    private final boolean selfManaged;
    private ScheduledExecutorService scheduler;
    private byte[] lastSeen;

    public CertificateFileWatcher(TlsConfigurationRegistry registry, Event<CertificateUpdatedEvent> certificateUpdated,
                                  WebhookConfig config) {
        this.registry = registry;
        this.certificateUpdated = certificateUpdated;
        this.config = config.tls();
        // Self-managed certificates are installed and reloaded by SelfManagedCertificatesBootstrap.
        this.selfManaged = config.certificates().mode() == WebhookConfig.Certificates.Mode.SELF_MANAGED;
    }

    void start(@Observes StartupEvent started) {
        Optional<String> certificate = ConfigProvider.getConfig().getOptionalValue(ServingCertificateSetup.QUARKUS_CERT, String.class);
        Optional<String> key = ConfigProvider.getConfig().getOptionalValue(ServingCertificateSetup.QUARKUS_KEY, String.class);
        if (selfManaged || certificate.isEmpty() || key.isEmpty()) {
            return;
        }
        Path certificateFile = Path.of(certificate.get());
        Path keyFile = Path.of(key.get());
        lastSeen = read(certificateFile, keyFile);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "certificate-files");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, config.reloadPeriod().toMillis());
        scheduler.scheduleWithFixedDelay(() -> check(certificateFile, keyFile), period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void check(Path certificateFile, Path keyFile) {
        byte[] now = read(certificateFile, keyFile);
        if (now == null || Arrays.equals(now, lastSeen)) {
            return;
        }
        try {
            TlsConfiguration tls = registry.get(ServingCertificateSetup.TLS_CONFIGURATION).orElseThrow();
            if (tls.reload()) {
                certificateUpdated.fire(new CertificateUpdatedEvent(ServingCertificateSetup.TLS_CONFIGURATION, tls));
                lastSeen = now;
                LOG.infof("serving the replaced certificate from %s", certificateFile);
            }
        } catch (RuntimeException e) {
            // A half-written pair (key replaced, certificate not yet): the next check tries again.
            LOG.warnf("reloading the serving certificate failed, will retry: %s", e.getMessage());
        }
    }

    /** Both files' bytes (a kubelet swaps a Secret's files atomically through a symlink); null when unreadable. */
    private static byte[] read(Path certificateFile, Path keyFile) {
        try {
            byte[] certificate = Files.readAllBytes(certificateFile);
            byte[] key = Files.readAllBytes(keyFile);
            byte[] both = Arrays.copyOf(certificate, certificate.length + key.length);
            System.arraycopy(key, 0, both, certificate.length, key.length);
            return both;
        } catch (IOException e) {
            return null;
        }
    }
}
