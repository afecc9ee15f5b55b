package io.nativesidecar.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Makes a self-signed serving certificate (EC P-256, SHA256withECDSA) with the JDK alone, writing the
 * few DER structures of an X.509 v3 certificate (RFC 5280) by hand. It runs on every start-up with no
 * certificate configured, and Bouncy Castle, which {@link CertificateAuthority} uses, costs ~0.3 s on its
 * first use in a JVM (class loading and static initialisation, measured) where this costs ~50 ms.
 */
final class SelfSignedCertificateBuilder {

    /** PEM texts: the certificate and its PKCS#8 private key. */
    record Pem(String certificate, String key) {
    }

    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    // DER tags (X.690): universal ones, and the context-specific classes for [n] tags.
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int OBJECT_IDENTIFIER = 0x06;
    private static final int UTF8_STRING = 0x0c;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int CONTEXT_PRIMITIVE = 0x80;
    private static final int CONTEXT_CONSTRUCTED = 0xa0;
    private static final byte[] TRUE = {0x01, 0x01, (byte) 0xff};

    private SelfSignedCertificateBuilder() {
    }

    /** A new key pair and a certificate for {@code names} (DNS names or IP literals), named after the first. */
    static Pem create(List<String> names, Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            // ECDSA algorithm identifiers have no parameters, not even NULL (RFC 5758 3.2).
            byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
            byte[] name = commonName(names.get(0));
            byte[] tbsCertificate = sequence(
                    explicit(0, integer(BigInteger.TWO)), // version: 2 means v3
                    integer(serialNumber()),
                    algorithm,
                    name, // issuer: self-signed
                    sequence(time(now.minus(Duration.ofMinutes(5))), time(now.plus(validity))), // a little slack for clock skew
                    name, // subject
                    keyPair.getPublic().getEncoded(), // already a DER SubjectPublicKeyInfo
                    explicit(3, sequence( // extensions
                            extension(SUBJECT_ALTERNATIVE_NAME, false, subjectAlternativeNames(names)),
                            // cA FALSE is the DEFAULT, which DER leaves out: an empty SEQUENCE.
                            extension(BASIC_CONSTRAINTS, true, sequence()),
                            // digitalSignature is bit 0, the first byte's top bit; DER drops trailing zero bits: 7 unused.
                            extension(KEY_USAGE, true, bitString(7, new byte[] {(byte) 0x80})),
                            extension(EXTENDED_KEY_USAGE, false, sequence(oid(SERVER_AUTH))))));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keyPair.getPrivate());
            signer.update(tbsCertificate);
            // The JDK's ECDSA signature is already the DER SEQUENCE { r, s } that X.509 wants.
            byte[] certificate = sequence(tbsCertificate, algorithm, bitString(0, signer.sign()));
            return new Pem(pem("CERTIFICATE", certificate), pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate", e);
        }
    }

    /** Whether a certificate name is an IP literal (an iPAddress SAN: clients connecting to 127.0.0.1 check those) or a DNS name. */
    static boolean isIpLiteral(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    /** UTCTime (two-digit year) from 1950 to 2049, GeneralizedTime otherwise; UTC, whole seconds (RFC 5280 4.1.2.5). */
    static byte[] time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        String text = String.format(Locale.ROOT, "%04d%02d%02d%02d%02d%02dZ", utc.getYear(), utc.getMonthValue(),
                utc.getDayOfMonth(), utc.getHour(), utc.getMinute(), utc.getSecond());
        boolean utcTime = utc.getYear() >= 1950 && utc.getYear() < 2050;
        return utcTime ? tlv(UTC_TIME, text.substring(2).getBytes(US_ASCII)) : tlv(GENERALIZED_TIME, text.getBytes(US_ASCII));
    }

    /** Positive and at most 20 octets (RFC 5280 4.1.2.2); random, so that two generated certificates never share one. */
    private static BigInteger serialNumber() {
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    /** A Name of one RDN, CN=value, as a UTF8String (RFC 5280 4.1.2.6). */
    private static byte[] commonName(String value) {
        return sequence(tlv(SET, sequence(oid(COMMON_NAME), tlv(UTF8_STRING, value.getBytes(UTF_8)))));
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
        return tlv(SEQUENCE, generalNames.toByteArray());
    }

    /** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE (so left out when false), extnValue OCTET STRING }. */
    private static byte[] extension(String id, boolean critical, byte[] value) {
        return critical ? sequence(oid(id), TRUE, tlv(OCTET_STRING, value)) : sequence(oid(id), tlv(OCTET_STRING, value));
    }

    private static byte[] sequence(byte[]... elements) {
        ByteArrayOutputStream contents = new ByteArrayOutputStream();
        for (byte[] element : elements) {
            contents.writeBytes(element);
        }
        return tlv(SEQUENCE, contents.toByteArray());
    }

    /** [n] EXPLICIT: a constructed context-specific tag around the complete inner encoding. */
    private static byte[] explicit(int number, byte[] inner) {
        return tlv(CONTEXT_CONSTRUCTED | number, inner);
    }

    /** [n] IMPLICIT for a primitive type: the context-specific tag replaces the type's own. */
    private static byte[] implicit(int number, byte[] contents) {
        return tlv(CONTEXT_PRIMITIVE | number, contents);
    }

    /** {@link BigInteger#toByteArray()} is already DER's minimal two's complement. */
    private static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    /** The first octet says how many bits of the last one are unused. */
    private static byte[] bitString(int unusedBits, byte[] bits) {
        byte[] contents = new byte[bits.length + 1];
        contents[0] = (byte) unusedBits;
        System.arraycopy(bits, 0, contents, 1, bits.length);
        return tlv(BIT_STRING, contents);
    }

    /** The first two arcs share one number (40 * first + second); every number is written in base 128, high bit = more follows. */
    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream contents = new ByteArrayOutputStream();
        writeBase128(contents, 40 * Long.parseLong(arcs[0]) + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(contents, Long.parseLong(arcs[i]));
        }
        return tlv(OBJECT_IDENTIFIER, contents.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long value) {
        int highestBit = 63 - Long.numberOfLeadingZeros(value | 1);
        for (int shift = highestBit / 7 * 7; shift > 0; shift -= 7) {
            out.write((int) (value >>> shift) & 0x7f | 0x80);
        }
        out.write((int) value & 0x7f);
    }

    /** Tag, length, contents. Lengths under 128 take one byte; longer ones a byte 0x80 + n, then n bytes big-endian. */
    private static byte[] tlv(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        int length = contents.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int lengthBytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | lengthBytes);
            for (int i = lengthBytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    /** Base64 in 64-character lines, as OpenSSL and Quarkus expect. */
    private static String pem(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }
}
