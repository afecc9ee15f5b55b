package io.nativesidecar.certificates;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A small private CA for the webhook's serving certificate (the self-managed mode, when cert-manager is
 * not installed). ECDSA P-256 keys; {@link Certificates} writes the certificates.
 */
public final class CertificateAuthority {

    /** PEM texts: the CA (certificate and key) and the serving pair it issued. */
    public record Material(String caCertificate, String caKey, String certificate, String key) {

        /** When the serving certificate stops being valid. */
        public Instant servingNotAfter() {
            return parseCertificate(certificate).getNotAfter().toInstant();
        }

        /** When the serving certificate became valid. */
        public Instant servingNotBefore() {
            return parseCertificate(certificate).getNotBefore().toInstant();
        }
    }

    private CertificateAuthority() {
    }

    /** A new CA and a serving certificate for {@code dnsNames}. */
    public static Material create(String caName, List<String> dnsNames, Duration caValidity, Duration servingValidity) {
        try {
            KeyPair ca = Certificates.newKeyPair();
            byte[] caCertificate = Certificates.certificateAuthority(caName, ca, caValidity);
            return issue(Certificates.pem("CERTIFICATE", caCertificate), Certificates.pem("PRIVATE KEY", ca.getPrivate().getEncoded()),
                    dnsNames, servingValidity);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a certificate authority", e);
        }
    }

    /** A new serving certificate from an existing CA; names may be DNS names or IP literals. */
    public static Material issue(String caCertificatePem, String caKeyPem, List<String> dnsNames, Duration validity) {
        try {
            X509Certificate caCertificate = parseCertificate(caCertificatePem);
            PrivateKey caKey = parseKey(caKeyPem);
            KeyPair serving = Certificates.newKeyPair();
            byte[] certificate = Certificates.issuedServing(dnsNames, serving.getPublic(), validity, caCertificate, caKey);
            return new Material(caCertificatePem, caKeyPem, Certificates.pem("CERTIFICATE", certificate),
                    Certificates.pem("PRIVATE KEY", serving.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a serving certificate", e);
        }
    }

    /** The first certificate in a PEM text. */
    public static X509Certificate parseCertificate(String pem) {
        return Certificates.certificate(pem);
    }

    /** The first private key in a PEM text: PKCS#8 ({@code PRIVATE KEY}, EC or RSA) or SEC1 ({@code EC PRIVATE KEY}). */
    static PrivateKey parseKey(String pem) {
        return Certificates.privateKey(pem);
    }
}
