package io.nativesidecar.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.nativesidecar.tls.Der.TRUE;
import static io.nativesidecar.tls.Der.bitString;
import static io.nativesidecar.tls.Der.explicit;
import static io.nativesidecar.tls.Der.implicit;
import static io.nativesidecar.tls.Der.integer;
import static io.nativesidecar.tls.Der.octetString;
import static io.nativesidecar.tls.Der.oid;
import static io.nativesidecar.tls.Der.sequence;
import static io.nativesidecar.tls.Der.time;
import static io.nativesidecar.tls.Der.tlv;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Writes X.509 v3 certificates (RFC 5280) with the JDK alone: EC P-256 keys, SHA256withECDSA, and the
 * extensions of a serving certificate and of the small CA that {@link CertificateAuthority} keeps.
 * Bouncy Castle used to do this; on the runtime classpath it also became Netty's PEM reader, which cost
 * ~200 ms and ~3.4 MiB of metaspace at the first TLS handshake (measured), and ~0.3 s of start-up when
 * it made the zero-config certificate.
 */
final class CertificateBuilder {

    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    // KeyUsage bit numbers (RFC 5280 4.2.1.3).
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private final PublicKey subjectKey;
    private final byte[] subject;
    private final Instant notBefore;
    private final Instant notAfter;
    private byte[] issuer;
    private final List<byte[]> extensions = new ArrayList<>();

    /** A certificate for {@code subjectKey}, CN={@code commonName}, valid for {@code validity}; self-signed unless {@link #issuedBy}. */
    CertificateBuilder(String commonName, PublicKey subjectKey, Duration validity) {
        this.subjectKey = subjectKey;
        this.subject = commonName(commonName);
        this.issuer = subject;
        Instant now = Instant.now();
        this.notBefore = now.minus(Duration.ofMinutes(5)); // a little slack for clock skew
        this.notAfter = now.plus(validity);
    }

    /** A new EC P-256 key pair, the kind every certificate here has. */
    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A TLS server's certificate for {@code names}: DNS names or IP literals, the subject's CN being the first. */
    CertificateBuilder serving(List<String> names) {
        extensions.add(extension(SUBJECT_ALTERNATIVE_NAME, false, subjectAlternativeNames(names)));
        // cA FALSE is the DEFAULT, which DER leaves out: an empty SEQUENCE.
        extensions.add(extension(BASIC_CONSTRAINTS, true, sequence()));
        extensions.add(extension(KEY_USAGE, true, keyUsage(DIGITAL_SIGNATURE)));
        extensions.add(extension(EXTENDED_KEY_USAGE, false, sequence(oid(SERVER_AUTH))));
        return this;
    }

    /** A CA that signs leaf certificates only: pathLenConstraint 0. */
    CertificateBuilder certificateAuthority() {
        extensions.add(extension(BASIC_CONSTRAINTS, true, sequence(TRUE, integer(BigInteger.ZERO))));
        extensions.add(extension(KEY_USAGE, true, keyUsage(KEY_CERT_SIGN, CRL_SIGN)));
        extensions.add(extension(SUBJECT_KEY_IDENTIFIER, false, octetString(keyIdentifier(subjectKey))));
        return this;
    }

    /**
     * Issued by {@code ca}: the issuer is the CA's subject byte for byte as its certificate encodes it (path
     * validation compares names, and a re-encoded name may differ), and the authority key identifier is the
     * CA's subject key identifier, so that clients pick the right CA certificate when there are several.
     */
    CertificateBuilder issuedBy(X509Certificate ca) {
        issuer = ca.getSubjectX500Principal().getEncoded();
        // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING, ... }
        extensions.add(extension(AUTHORITY_KEY_IDENTIFIER, false, sequence(implicit(0, subjectKeyIdentifier(ca)))));
        return this;
    }

    /** The DER certificate, signed with {@code signingKey}: the subject's own for a self-signed one, else the CA's. */
    byte[] signedBy(PrivateKey signingKey) throws GeneralSecurityException {
        // ECDSA algorithm identifiers have no parameters, not even NULL (RFC 5758 3.2).
        byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
        List<byte[]> tbsCertificate = new ArrayList<>(List.of(
                explicit(0, integer(BigInteger.TWO)), // version: 2 means v3
                integer(serialNumber()),
                algorithm,
                issuer,
                sequence(time(notBefore), time(notAfter)),
                subject,
                subjectKey.getEncoded())); // already a DER SubjectPublicKeyInfo
        if (!extensions.isEmpty()) {
            tbsCertificate.add(explicit(3, sequence(extensions)));
        }
        byte[] tbs = sequence(tbsCertificate);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(signingKey);
        signer.update(tbs);
        // The JDK's ECDSA signature is already the DER SEQUENCE { r, s } that X.509 wants.
        return sequence(tbs, algorithm, bitString(0, signer.sign()));
    }

    /** Whether a certificate name is an IP literal (an iPAddress SAN: clients connecting to 127.0.0.1 check those) or a DNS name. */
    static boolean isIpLiteral(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    /** The CA's own subject key identifier when it has one (older CAs were written by Bouncy Castle), else the one we would give it. */
    private static byte[] subjectKeyIdentifier(X509Certificate ca) {
        byte[] extension = ca.getExtensionValue(SUBJECT_KEY_IDENTIFIER);
        if (extension == null) {
            return keyIdentifier(ca.getPublicKey());
        }
        // The JDK hands back extnValue, an OCTET STRING around the DER of SubjectKeyIdentifier, itself an OCTET STRING.
        byte[] value = Der.readOne(extension, Der.OCTET_STRING).contents();
        return Der.readOne(value, Der.OCTET_STRING).contents();
    }

    /** SHA-1 of the subjectPublicKey BIT STRING's bits, without tag, length and unused-bits octet (RFC 5280 4.2.1.2, method 1). */
    private static byte[] keyIdentifier(PublicKey key) {
        // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
        byte[] bitString = Der.readOne(key.getEncoded(), Der.SEQUENCE).children().get(1).contents();
        try {
            return MessageDigest.getInstance("SHA-1").digest(Arrays.copyOfRange(bitString, 1, bitString.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Positive and at most 20 octets (RFC 5280 4.1.2.2); random, so that two generated certificates never share one. */
    private static BigInteger serialNumber() {
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    /** A Name of one RDN, CN=value, as a UTF8String (RFC 5280 4.1.2.6). */
    private static byte[] commonName(String value) {
        return sequence(tlv(Der.SET, sequence(oid(COMMON_NAME), tlv(Der.UTF8_STRING, value.getBytes(UTF_8)))));
    }

    /** GeneralNames: IP literals as [7] iPAddress (4 or 16 bytes), the rest as [2] dNSName (an IA5String), both IMPLICIT. */
    private static byte[] subjectAlternativeNames(List<String> names) {
        ByteArrayOutputStream generalNames = new ByteArrayOutputStream();
        for (String name : names) {
            if (!isIpLiteral(name)) {
                generalNames.writeBytes(implicit(2, name.getBytes(US_ASCII)));
                continue;
            }
            try {
                // A literal is parsed, never looked up.
                generalNames.writeBytes(implicit(7, InetAddress.getByName(name).getAddress()));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + name, e);
            }
        }
        return tlv(Der.SEQUENCE, generalNames.toByteArray());
    }

    /** Bits are numbered from the first byte's top bit; DER drops trailing zero bits, and the first octet counts the unused ones. */
    private static byte[] keyUsage(int... bits) {
        int highest = Arrays.stream(bits).max().orElseThrow();
        byte[] bytes = new byte[highest / 8 + 1];
        for (int bit : bits) {
            bytes[bit / 8] |= (byte) (0x80 >>> bit % 8);
        }
        return bitString(7 - highest % 8, bytes);
    }

    /** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE (so left out when false), extnValue OCTET STRING }. */
    private static byte[] extension(String id, boolean critical, byte[] value) {
        return critical ? sequence(oid(id), TRUE, octetString(value)) : sequence(oid(id), octetString(value));
    }
}
