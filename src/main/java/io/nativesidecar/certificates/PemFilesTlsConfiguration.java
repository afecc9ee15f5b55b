package io.nativesidecar.certificates;

import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;

/**
 * A TLS configuration serving the certificate and key of two PEM files, registered in Quarkus's TLS registry in
 * place of the configured one, whose other settings (protocols, cipher suites) it keeps. The files are read into
 * memory: Vert.x keeps an SSL context per set of options, so options naming the same paths would never be seen
 * as changed by {@link #reload()}.
 */
final class PemFilesTlsConfiguration implements TlsConfiguration {

    private final String name;
    private final TlsConfiguration configured;
    private final SelfSignedCertificate.PemFiles files;
    private final Vertx vertx;
    private volatile Loaded loaded;

    /** The HTTP server takes the whole of {@link #getSSLOptions()} when the certificate is updated: key included. */
    private record Loaded(PemKeyCertOptions options, KeyStore keyStore, SSLOptions ssl) {
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
        try {
            PemKeyCertOptions options = new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(Files.readAllBytes(files.certificate())))
                    .addKeyValue(Buffer.buffer(Files.readAllBytes(files.key())));
            SSLOptions configuredSsl = configured.getSSLOptions();
            SSLOptions ssl = (configuredSsl == null ? new SSLOptions() : new SSLOptions(configuredSsl)).setKeyCertOptions(options);
            return new Loaded(options, options.loadKeyStore(vertx), ssl);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the serving certificate: " + e, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the serving certificate " + files.certificate() + " with key "
                    + files.key() + ": " + e.getMessage(), e);
        }
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
        return loaded.options();
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
        context.init(loaded.options().getKeyManagerFactory(vertx).getKeyManagers(),
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
