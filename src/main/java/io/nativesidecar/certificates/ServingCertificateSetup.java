package io.nativesidecar.certificates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Decides, before Quarkus starts, which certificate the HTTPS server presents, and hands it to the
 * TLS configuration named {@value #TLS_CONFIGURATION} as system properties (read early enough for TLS start-up):
 * the files named by {@code nativesidecar.tls.cert-file}/{@code key-file} (system property or
 * {@code NATIVESIDECAR_TLS_CERT_FILE}/{@code _KEY_FILE}), or else a self-signed pair generated now.
 * Anything configured under {@code quarkus.tls.webhook.key-store} directly is left alone.
 */
public final class ServingCertificateSetup {

    static final String CERT_FILE = "nativesidecar.tls.cert-file";
    static final String KEY_FILE = "nativesidecar.tls.key-file";
    /** The named TLS configuration the HTTPS server uses; the management port stays plain HTTP. */
    public static final String TLS_CONFIGURATION = "webhook";
    static final String QUARKUS_PREFIX = "quarkus.tls." + TLS_CONFIGURATION + ".key-store.";
    public static final String QUARKUS_CERT = QUARKUS_PREFIX + "pem.0.cert";
    public static final String QUARKUS_KEY = QUARKUS_PREFIX + "pem.0.key";

    static final String MODE = "nativesidecar.certificates.mode";
    static final String DIRECTORY = "nativesidecar.certificates.directory";
    static final String DEFAULT_DIRECTORY = "/tmp/native-sidecar-webhook/tls";

    /** What was decided, for the caller's log. */
    public enum Choice { CONFIGURED_BY_QUARKUS_TLS, FILES, SELF_SIGNED, SELF_MANAGED }

    /** The choice made in this process, before Quarkus started; null when nothing was decided here (tests). */
    private static volatile Choice applied;

    private ServingCertificateSetup() {
    }

    public static Choice apply() throws IOException {
        return apply(System.getProperties(), System.getenv());
    }

    /** The choice {@link #apply()} made in this process, if it ran (the server's own start-up runs it). */
    public static java.util.Optional<Choice> applied() {
        return java.util.Optional.ofNullable(applied);
    }

    static Choice apply(Properties system, Map<String, String> environment) throws IOException {
        applied = choose(system, environment);
        return applied;
    }

    private static Choice choose(Properties system, Map<String, String> environment) throws IOException {
        boolean quarkusTls = system.stringPropertyNames().stream().anyMatch(name -> name.startsWith(QUARKUS_PREFIX))
                || environment.keySet().stream().anyMatch(name -> name.startsWith("QUARKUS_TLS_WEBHOOK_KEY_STORE_"));
        if (quarkusTls) {
            return Choice.CONFIGURED_BY_QUARKUS_TLS;
        }
        Function<String, String> setting = name -> {
            String value = system.getProperty(name, environment.get(name.toUpperCase().replace('.', '_').replace('-', '_')));
            return value == null || value.isBlank() ? null : value;
        };
        if ("self-managed".equalsIgnoreCase(setting.apply(MODE)) || "self_managed".equalsIgnoreCase(setting.apply(MODE))) {
            // A placeholder until the managed certificate is installed over it; readiness waits for that.
            String directory = setting.apply(DIRECTORY) == null ? DEFAULT_DIRECTORY : setting.apply(DIRECTORY);
            SelfSignedCertificate.PemFiles placeholder = SelfSignedCertificate.write(Path.of(directory),
                    List.of("localhost"), Duration.ofDays(1));
            system.setProperty(QUARKUS_CERT, placeholder.certificate().toString());
            system.setProperty(QUARKUS_KEY, placeholder.key().toString());
            return Choice.SELF_MANAGED;
        }
        String certificate = setting.apply(CERT_FILE);
        String key = setting.apply(KEY_FILE);
        if (certificate != null && key != null) {
            system.setProperty(QUARKUS_CERT, certificate);
            system.setProperty(QUARKUS_KEY, key);
            return Choice.FILES;
        }
        Path directory = Files.createTempDirectory("native-sidecar-webhook-tls");
        SelfSignedCertificate.PemFiles pem = SelfSignedCertificate.write(directory,
                List.of("localhost", "native-sidecar-webhook"), Duration.ofDays(365));
        directory.toFile().deleteOnExit();
        pem.certificate().toFile().deleteOnExit();
        pem.key().toFile().deleteOnExit();
        system.setProperty(QUARKUS_CERT, pem.certificate().toString());
        system.setProperty(QUARKUS_KEY, pem.key().toString());
        return Choice.SELF_SIGNED;
    }
}
