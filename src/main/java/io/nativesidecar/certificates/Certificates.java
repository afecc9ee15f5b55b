package io.nativesidecar.certificates;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * X.509 certificates and their PEM texts, with Bouncy Castle: EC P-256 keys, SHA256withECDSA, the extensions of a
 * TLS server's certificate and of the small CA that {@link CertificateAuthority} keeps. Private keys are read in
 * PKCS#8 ({@code PRIVATE KEY}, what is written here), SEC1 ({@code EC PRIVATE KEY}, what OpenSSL's EC commands write)
 * or PKCS#1 ({@code RSA PRIVATE KEY}, cert-manager's default for RSA).
 */
final class Certificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    /** A new EC P-256 key pair, the kind every certificate here has. */
    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A self-signed TLS server certificate for {@code names} (DNS names or IP literals), CN the first. */
    static byte[] selfSignedServing(List<String> names, KeyPair keyPair, Duration validity) throws GeneralSecurityException {
        X500Name subject = commonName(names.get(0));
        return sign(serving(builder(subject, subject, keyPair.getPublic(), validity), names), keyPair.getPrivate());
    }

    /** A CA that signs leaf certificates only (pathLenConstraint 0), with a subject key identifier. */
    static byte[] certificateAuthority(String name, KeyPair keyPair, Duration validity) throws GeneralSecurityException {
        X500Name subject = commonName(name);
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, keyPair.getPublic(), validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keyPair.getPublic()));
            return sign(builder, keyPair.getPrivate());
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /**
     * A TLS server certificate for {@code names} issued by {@code ca}: the issuer is the CA's subject as its
     * certificate encodes it (path validation compares names), and the authority key identifier is the CA's
     * subject key identifier, so that clients pick the right CA certificate when there are several.
     */
    static byte[] issuedServing(List<String> names, PublicKey key, Duration validity, X509Certificate ca, PrivateKey caKey)
            throws GeneralSecurityException {
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        try {
            X509v3CertificateBuilder builder = serving(builder(issuer, commonName(names.get(0)), key, validity), names)
                    .addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(subjectKeyIdentifier(ca)));
            return sign(builder, caKey);
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** Base64 in 64-character lines and Unix line ends, as OpenSSL writes it and Quarkus expects. */
    static String pem(String label, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(label, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().replace("\r\n", "\n");
    }

    /**
     * Every certificate in {@code text}, in order: a serving certificate, then the intermediates that issued it. Other
     * PEM blocks and text around them are skipped, as OpenSSL does.
     */
    static List<X509Certificate> certificates(String text) {
        List<X509Certificate> chain = new java.util.ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                if (block.getType().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.getContent())));
                }
            }
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate");
        }
        return chain;
    }

    /** The first certificate in {@code text}. */
    static X509Certificate certificate(String text) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(text.getBytes(US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    /** The first private key in {@code text}, skipping other blocks such as OpenSSL's {@code EC PARAMETERS}. */
    static PrivateKey privateKey(String text) {
        try (PemReader reader = new PemReader(new StringReader(text))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                String label = block.getType();
                if (!label.endsWith("PRIVATE KEY")) {
                    continue;
                }
                if (label.equals("ENCRYPTED PRIVATE KEY") || block.getHeaders().stream()
                        .anyMatch(header -> "Proc-Type".equals(((PemHeader) header).getName()))) {
                    throw new IllegalArgumentException("encrypted PEM private keys are not supported");
                }
                return switch (label) {
                    case "PRIVATE KEY" -> key(block.getContent(), "PKCS#8");
                    case "EC PRIVATE KEY" -> key(sec1ToPkcs8(block.getContent()), "SEC1 EC");
                    // cert-manager's default encoding of RSA keys.
                    case "RSA PRIVATE KEY" -> key(pkcs1ToPkcs8(block.getContent()), "PKCS#1 RSA");
                    default -> throw new IllegalArgumentException("unsupported PEM private key '" + label
                            + "': expected PKCS#8 ('PRIVATE KEY'), SEC1 ('EC PRIVATE KEY') or PKCS#1 ('RSA PRIVATE KEY')");
                };
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM private key", e);
        }
        throw new IllegalArgumentException("not a PEM private key");
    }

    /** Whether a certificate name is an IP literal (an iPAddress SAN: clients connecting to 127.0.0.1 check those) or a DNS name. */
    static boolean isIpLiteral(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
        // Whole seconds: UTCTime and GeneralizedTime in certificates carry no fractions (RFC 5280 4.1.2.5).
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Positive and at most 20 octets (RFC 5280 4.1.2.2); random, so that two generated certificates never share one.
        BigInteger serial = new BigInteger(64, RANDOM).add(BigInteger.ONE);
        return new X509v3CertificateBuilder(issuer, serial, Date.from(now.minus(Duration.ofMinutes(5))), // slack for clock skew
                Date.from(now.plus(validity)), subject, SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    private static X509v3CertificateBuilder serving(X509v3CertificateBuilder builder, List<String> names)
            throws GeneralSecurityException {
        GeneralName[] alternatives = new GeneralName[names.size()];
        for (int i = 0; i < alternatives.length; i++) {
            String name = names.get(i);
            try {
                alternatives[i] = new GeneralName(isIpLiteral(name) ? GeneralName.iPAddress : GeneralName.dNSName, name);
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("not a DNS name or IP address: " + name, e);
            }
        }
        try {
            return builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static byte[] sign(X509v3CertificateBuilder builder, PrivateKey signingKey) throws GeneralSecurityException {
        try {
            return builder.build(new EcdsaSigner(signingKey)).getEncoded();
        } catch (IOException | IllegalStateException e) {
            throw new GeneralSecurityException("cannot sign the certificate", e);
        }
    }

    /**
     * SHA256withECDSA by the JDK's own provider. Bouncy Castle's JcaContentSignerBuilder would do the same after
     * building its table of every signature algorithm it knows: hundreds more classes at start-up (bench/README.md),
     * from a signed jar that the JDK's AOT cache cannot hold.
     */
    private static final class EcdsaSigner implements ContentSigner {
        private static final AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        private final Signature signature;
        private final OutputStream input;

        EcdsaSigner(PrivateKey key) throws GeneralSecurityException {
            signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            input = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    try {
                        signature.update(bytes, offset, length);
                    } catch (SignatureException e) {
                        throw new IOException(e);
                    }
                }
            };
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            // ECDSA algorithm identifiers have no parameters, not even NULL (RFC 5758 3.2).
            return ECDSA_WITH_SHA256;
        }

        @Override
        public OutputStream getOutputStream() {
            return input;
        }

        @Override
        public byte[] getSignature() {
            try {
                // The JDK's ECDSA signature is already the DER SEQUENCE { r, s } that X.509 wants.
                return signature.sign();
            } catch (SignatureException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A Name of one RDN, CN=value (a UTF8String). */
    private static X500Name commonName(String value) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, value).build();
    }

    /** The CA's own subject key identifier when it has one, else the one it would be given (RFC 5280 4.2.1.2, method 1). */
    private static byte[] subjectKeyIdentifier(X509Certificate ca) throws GeneralSecurityException {
        byte[] extension = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(ca.getPublicKey()).getKeyIdentifier();
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }

    /**
     * The JDK's own key factory for the key's algorithm: its keys say "EC" and "RSA", the names TLS key managers match
     * on (Bouncy Castle's converter says "ECDSA" when BC is a registered provider).
     */
    private static PrivateKey key(byte[] pkcs8, String form) {
        ASN1ObjectIdentifier algorithm;
        try {
            algorithm = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(pkcs8)).getPrivateKeyAlgorithm().getAlgorithm();
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle's ASN.1 reading throws whatever the malformed input trips over.
            throw new IllegalArgumentException("not a " + form + " private key", e);
        }
        String name = algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey) ? "EC"
                : algorithm.equals(PKCSObjectIdentifiers.rsaEncryption) ? "RSA"
                : algorithm.equals(EdECObjectIdentifiers.id_Ed25519) ? "Ed25519"
                : algorithm.equals(EdECObjectIdentifiers.id_Ed448) ? "Ed448" : null;
        if (name == null) {
            throw new IllegalArgumentException("unsupported private key algorithm " + algorithm + ": expected EC, RSA or EdDSA");
        }
        try {
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a " + form + " private key", e);
        }
    }

    /** A PKCS#1 RSA key (RFC 8017) as PKCS#8. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        try {
            return new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                    org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(pkcs1))).getEncoded();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a PKCS#1 RSA private key", e);
        }
    }

    /** A SEC1 key (RFC 5915) as PKCS#8: the algorithm names the curve the SEC1 parameters name. */
    private static byte[] sec1ToPkcs8(byte[] sec1) {
        ECPrivateKey key;
        try {
            key = ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(sec1));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a SEC1 EC private key", e);
        }
        if (key.getParametersObject() == null) {
            throw new IllegalArgumentException("SEC1 EC private key without a named curve in its parameters");
        }
        try {
            return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, key.getParametersObject()), key)
                    .getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
