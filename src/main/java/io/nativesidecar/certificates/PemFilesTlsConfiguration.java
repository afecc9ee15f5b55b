package io.nativesidecar.certificates;

import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;

/**
 * A TLS configuration serving the certificate and key of two PEM files, registered in Quarkus's TLS registry in
 * place of the configured one, whose other settings (protocols, cipher suites) it keeps. The files are read into
 * a {@link ServingKeyManager} ({@link Certificates} parses them); each {@link #reload()} makes new options, which Vert.x
 * sees as changed.
 */
final class PemFilesTlsConfiguration implements TlsConfiguration {

    private final String name;
    private final TlsConfiguration configured;
    private final SelfSignedCertificate.PemFiles files;
    private final Vertx vertx;
    private volatile Loaded loaded;

    /** The HTTP server takes the whole of {@link #getSSLOptions()} when the certificate is updated: key included. */
    private record Loaded(ServingKeyManager keyManager, KeyStore keyStore, SSLOptions ssl, byte[] bytes) {
    }

    /** Reads the files now; an unreadable or mismatched pair fails here, before the server starts with it. */
    PemFilesTlsConfiguration(String name, TlsConfiguration configured, SelfSignedCertificate.PemFiles files, Vertx vertx) {
        this.name = name;
        this.configured = configured;
        this.files = files;
        this.vertx = vertx;
        this.loaded = load();
    }

    SelfSignedCertificate.PemFiles files() {
        return files;
    }

    private Loaded load() {
        byte[] certificateBytes;
        byte[] keyBytes;
        try {
            certificateBytes = Files.readAllBytes(files.certificate());
            keyBytes = Files.readAllBytes(files.key());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the serving certificate: " + e, e);
        }
        // ISO-8859-1 never refuses a byte: text around the PEM blocks may be in any charset.
        String certificatePem = new String(certificateBytes, StandardCharsets.ISO_8859_1);
        String keyPem = new String(keyBytes, StandardCharsets.ISO_8859_1);
        try {
            ServingKeyManager keyManager = new ServingKeyManager(Certificates.privateKey(keyPem), Certificates.certificates(certificatePem));
            SSLOptions configuredSsl = configured.getSSLOptions();
            SSLOptions ssl = (configuredSsl == null ? new SSLOptions() : new SSLOptions(configuredSsl))
                    .setKeyCertOptions(KeyCertOptions.wrap(keyManager));
            // The served certificate, for readiness and whoever asks the registry; the key stays in the key manager.
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setCertificateEntry(ServingKeyManager.ALIAS, keyManager.certificate());
            return new Loaded(keyManager, keyStore, ssl, CertificateFileWatcher.both(certificateBytes, keyBytes));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot serve " + files.certificate() + " with key " + files.key() + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold the serving certificate: " + e, e);
        }
    }

    /** Both files' bytes as they were loaded, in {@link CertificateFileWatcher}'s form. */
    byte[] loadedBytes() {
        return loaded.bytes();
    }

    /** Reads the files again; throws when they cannot be loaded (a half-written pair), keeping what is served. */
    @Override
    public boolean reload() {
        loaded = load();
        return true;
    }

    @Override
    public KeyStore getKeyStore() {
        return loaded.keyStore();
    }

    @Override
    public KeyCertOptions getKeyStoreOptions() {
        return loaded.ssl().getKeyCertOptions();
    }

    @Override
    public KeyStore getTrustStore() {
        return configured.getTrustStore();
    }

    @Override
    public TrustOptions getTrustStoreOptions() {
        return configured.getTrustStoreOptions();
    }

    @Override
    public SSLOptions getSSLOptions() {
        return loaded.ssl();
    }

    @Override
    public SSLContext createSSLContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        TrustOptions trust = getTrustStoreOptions();
        context.init(new javax.net.ssl.KeyManager[] {loaded.keyManager()},
                trust == null ? null : trust.getTrustManagerFactory(vertx).getTrustManagers(), null);
        return context;
    }

    @Override
    public boolean isTrustAll() {
        return configured.isTrustAll();
    }

    @Override
    public Optional<String> getHostnameVerificationAlgorithm() {
        return configured.getHostnameVerificationAlgorithm();
    }

    @Override
    public boolean usesSni() {
        return configured.usesSni();
    }

    @Override
    public String getName() {
        return name;
    }
}
