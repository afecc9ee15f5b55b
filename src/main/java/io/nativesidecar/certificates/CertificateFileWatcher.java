package io.nativesidecar.certificates;

import io.nativesidecar.config.WebhookConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Serves a replaced certificate (a rotated Secret) without a restart, and only when it really
 * changed: Quarkus's own periodic reload swaps the TLS context every period, and a connection that
 * arrives during a swap can be dropped, so the files are compared first.
 */
@ApplicationScoped
public class CertificateFileWatcher {

    private static final Logger LOG = Logger.getLogger(CertificateFileWatcher.class);

    private final Duration period;
    private ScheduledExecutorService scheduler;
    private byte[] lastSeen;

    public CertificateFileWatcher(WebhookConfig config) {
        this.period = config.tls().reloadPeriod();
    }

    /**
     * Compares the files with what is served every reload period, and runs {@code reload} when they changed.
     *
     * @param served the bytes of both files as they were loaded, or null to read them now
     * @param reload serves the files' current content and returns the bytes it loaded (null: unknown, taken as read)
     */
    synchronized void watch(SelfSignedCertificate.PemFiles files, byte[] served, Supplier<byte[]> reload) {
        if (scheduler != null) {
            throw new IllegalStateException("already watching");
        }
        lastSeen = served != null ? served : read(files);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "certificate-files");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(100, period.toMillis());
        scheduler.scheduleWithFixedDelay(() -> check(files, reload), millis, millis, TimeUnit.MILLISECONDS);
    }

    synchronized void stop(@Observes ShutdownEvent stopping) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void check(SelfSignedCertificate.PemFiles files, Supplier<byte[]> reload) {
        byte[] now = read(files);
        if (now == null || Arrays.equals(now, lastSeen)) {
            return;
        }
        try {
            // What was loaded, which a change after the read above may have made newer: then the next check reloads.
            byte[] loaded = reload.get();
            lastSeen = loaded != null ? loaded : now;
            LOG.infof("serving the replaced certificate from %s", files.certificate());
        } catch (RuntimeException e) {
            // A half-written pair (key replaced, certificate not yet): the next check tries again.
            LOG.warnf("reloading the serving certificate failed, will retry: %s", e.getMessage());
        }
    }

    /** Both files' bytes (a kubelet swaps a Secret's files atomically through a symlink); null when unreadable. */
    private static byte[] read(SelfSignedCertificate.PemFiles files) {
        try {
            return both(Files.readAllBytes(files.certificate()), Files.readAllBytes(files.key()));
        } catch (IOException e) {
            return null;
        }
    }

    /** The form in which two files' contents are compared. */
    static byte[] both(byte[] certificate, byte[] key) {
        byte[] both = Arrays.copyOf(certificate, certificate.length + key.length);
        System.arraycopy(key, 0, both, certificate.length, key.length);
        return both;
    }
}
