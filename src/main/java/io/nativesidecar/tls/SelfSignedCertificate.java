package io.nativesidecar.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated serving certificate in PEM files, so that the server answers HTTPS with no setup. It is
 * self-signed and made with the JDK alone ({@link SelfSignedCertificateBuilder}), not with Bouncy
 * Castle: this runs before every start-up with no certificate configured, and Bouncy Castle's first
 * use costs ~0.3 s of start-up (measured), about a fifth of it.
 */
public final class SelfSignedCertificate {

    /** The files written. */
    public record PemFiles(Path certificate, Path key) {
    }

    private SelfSignedCertificate() {
    }

    /** Writes {@code tls.crt} and {@code tls.key} for the given DNS names (and 127.0.0.1, ::1) into {@code directory}. */
    public static PemFiles write(Path directory, List<String> dnsNames, Duration validity) throws IOException {
        List<String> names = new ArrayList<>(dnsNames);
        names.add("127.0.0.1");
        names.add("::1");
        SelfSignedCertificateBuilder.Pem pem = SelfSignedCertificateBuilder.create(names, validity);
        return write(directory, pem.certificate(), pem.key());
    }

    /** Writes a PEM pair so that a reader never sees a half-written file or a key that does not match. */
    public static PemFiles write(Path directory, String certificatePem, String keyPem) throws IOException {
        Files.createDirectories(directory);
        Path certificate = directory.resolve("tls.crt");
        Path key = directory.resolve("tls.key");
        Path newKey = Files.writeString(directory.resolve("tls.key.new"), keyPem);
        Path newCertificate = Files.writeString(directory.resolve("tls.crt.new"), certificatePem);
        Files.move(newKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(newCertificate, certificate, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new PemFiles(certificate, key);
    }
}
