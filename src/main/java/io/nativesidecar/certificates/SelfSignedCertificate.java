package io.nativesidecar.certificates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated serving certificate in PEM files, so that the server answers HTTPS with no setup: self-signed
 * (see {@link Certificates}).
 */
public final class SelfSignedCertificate {

    /** The files written. */
    public record PemFiles(Path certificate, Path key) {
    }

    /** PEM texts: the certificate and its PKCS#8 private key. */
    record PemPair(String certificate, String key) {
    }

    private SelfSignedCertificate() {
    }

    /** Writes {@code tls.crt} and {@code tls.key} for the given DNS names (and 127.0.0.1, ::1) into {@code directory}. */
    public static PemFiles write(Path directory, List<String> dnsNames, Duration validity) throws IOException {
        List<String> names = new ArrayList<>(dnsNames);
        names.add("127.0.0.1");
        names.add("::1");
        PemPair pem = create(names, validity);
        return write(directory, pem.certificate(), pem.key());
    }

    /** A new key pair and a serving certificate for {@code names} (DNS names or IP literals), named after the first. */
    static PemPair create(List<String> names, Duration validity) {
        try {
            KeyPair keyPair = Certificates.newKeyPair();
            byte[] certificate = Certificates.selfSignedServing(names, keyPair, validity);
            return new PemPair(Certificates.pem("CERTIFICATE", certificate),
                    Certificates.pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate", e);
        }
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
