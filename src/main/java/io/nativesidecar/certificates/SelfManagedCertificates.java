package io.nativesidecar.certificates;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nativesidecar.certificates.CertificateAuthority.Material;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The webhook's own certificates, for clusters without cert-manager: a CA and serving certificate
 * in a Secret (created by whichever replica comes first, shared by all), the CA in the
 * MutatingWebhookConfiguration's caBundle, and the serving certificate renewed well before it
 * expires and served without a restart.
 */
public final class SelfManagedCertificates implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SelfManagedCertificates.class);

    /** Where the certificates live and how long they last. */
    public record Settings(String namespace, String secretName, String serviceName, String webhookConfiguration,
                           Duration caValidity, Duration servingValidity, Duration renewBefore, Duration checkEvery) {

        /** The names the API server may use to reach the Service. */
        public List<String> dnsNames() {
            return List.of(serviceName + "." + namespace + ".svc", serviceName + "." + namespace + ".svc.cluster.local",
                    serviceName + "." + namespace, serviceName);
        }
    }

    private final Settings settings;
    private final CertificateSecret secret;
    private final CaBundlePatcher caBundle;
    private final Consumer<Material> install;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "self-managed-certificates");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Material installed;

    /** {@code install} receives the material to serve: it writes the files and reloads TLS. */
    public SelfManagedCertificates(KubernetesClient client, Settings settings, Consumer<Material> install, Clock clock) {
        this.settings = settings;
        this.secret = new CertificateSecret(client, settings.namespace(), settings.secretName());
        this.caBundle = new CaBundlePatcher(client, settings.webhookConfiguration(),
                () -> installed == null ? "" : installed.caCertificate());
        this.install = install;
        this.clock = clock;
    }

    /** Starts in the background: the caller never waits for the API server; readiness does. */
    public void start() {
        long period = Math.max(1, settings.checkEvery().toMillis());
        scheduler.scheduleWithFixedDelay(this::check, 0, period, TimeUnit.MILLISECONDS);
    }

    public boolean installed() {
        return installed != null;
    }

    /** One round: ensure, adopt another replica's renewal, renew when due, keep the caBundle. */
    void check() {
        try {
            Material current = secret.ensure(() -> CertificateAuthority.create("native-sidecar-webhook CA",
                    settings.dnsNames(), settings.caValidity(), settings.servingValidity()));
            if (renewalDue(current)) {
                Material renewed = CertificateAuthority.issue(current.caCertificate(), current.caKey(),
                        settings.dnsNames(), settings.servingValidity());
                current = secret.replace(current, renewed);
                LOG.infof("serving certificate renewed, valid until %s", current.servingNotAfter());
            }
            boolean first = installed == null;
            if (!current.equals(installed)) {
                install.accept(current);
                installed = current;
            }
            if (first) {
                caBundle.patch();
                caBundle.watch();
            }
        } catch (RuntimeException e) {
            LOG.warnf("managing certificates in Secret %s/%s failed, retrying: %s",
                    settings.namespace(), settings.secretName(), e.getMessage());
        }
    }

    private boolean renewalDue(Material material) {
        return clock.instant().isAfter(material.servingNotAfter().minus(settings.renewBefore()));
    }

    Instant servingNotAfter() {
        return installed == null ? null : installed.servingNotAfter();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        caBundle.close();
    }
}
