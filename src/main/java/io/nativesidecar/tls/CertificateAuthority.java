package io.nativesidecar.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A small private CA for the webhook's serving certificate (the self-managed mode, when
 * cert-manager is not installed). Bouncy Castle builds the certificates; ECDSA P-256 keys.
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
            KeyPair ca = keyPair();
            X500Name caSubject = new X500Name("CN=" + caName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caSubject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(caValidity)), caSubject, ca.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(ca.getPublic()));
            X509CertificateHolder caCertificate = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate()));
            return issue(pem(caCertificate), pem(new JcaPKCS8Generator(ca.getPrivate(), null).generate()), dnsNames, servingValidity);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create a certificate authority", e);
        }
    }

    /** A new serving certificate from an existing CA; names may be DNS names or IP literals. */
    public static Material issue(String caCertificatePem, String caKeyPem, List<String> dnsNames, Duration validity) {
        try {
            X509Certificate caCertificate = parseCertificate(caCertificatePem);
            PrivateKey caKey = parseKey(caKeyPem);
            KeyPair serving = keyPair();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
                    new X500Name("CN=" + dnsNames.get(0)), serving.getPublic());
            GeneralName[] names = dnsNames.stream().map(CertificateAuthority::generalName).toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
            X509CertificateHolder certificate = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey));
            return new Material(caCertificatePem, caKeyPem, pem(certificate), pem(new JcaPKCS8Generator(serving.getPrivate(), null).generate()));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a serving certificate", e);
        }
    }

    private static GeneralName generalName(String name) {
        return new GeneralName(CertificateBuilder.isIpLiteral(name) ? GeneralName.iPAddress : GeneralName.dNSName, name);
    }

    public static X509Certificate parseCertificate(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("not a PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    static PrivateKey parseKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IllegalArgumentException("not a PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM private key", e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
