package io.nativesidecar.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The few DER (X.690) encodings that X.509 certificates and private key files need, written and read
 * with the JDK alone: enough for {@link CertificateBuilder} and {@link Pem}, not a general ASN.1 library
 * (single-byte tags, definite lengths only).
 */
final class Der {

    /** One element read back: its tag, its contents and its whole encoding (tag and length included). */
    record Element(int tag, byte[] contents, byte[] encoding) {

        /** The elements inside a constructed one: a SEQUENCE, or an EXPLICIT [n] around one. */
        List<Element> children() {
            return read(contents);
        }
    }

    // Universal tags, and the context-specific classes for [n] tags.
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int UTF8_STRING = 0x0c;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int CONTEXT_PRIMITIVE = 0x80;
    static final int CONTEXT_CONSTRUCTED = 0xa0;
    static final byte[] TRUE = {0x01, 0x01, (byte) 0xff};

    private Der() {
    }

    static byte[] sequence(byte[]... elements) {
        return tlv(SEQUENCE, concat(elements));
    }

    static byte[] sequence(List<byte[]> elements) {
        return sequence(elements.toArray(byte[][]::new));
    }

    /** [n] EXPLICIT: a constructed context-specific tag around the complete inner encoding. */
    static byte[] explicit(int number, byte[] inner) {
        return tlv(CONTEXT_CONSTRUCTED | number, inner);
    }

    /** [n] IMPLICIT for a primitive type: the context-specific tag replaces the type's own. */
    static byte[] implicit(int number, byte[] contents) {
        return tlv(CONTEXT_PRIMITIVE | number, contents);
    }

    /** {@link BigInteger#toByteArray()} is already DER's minimal two's complement. */
    static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    static byte[] octetString(byte[] contents) {
        return tlv(OCTET_STRING, contents);
    }

    /** The first octet says how many bits of the last one are unused. */
    static byte[] bitString(int unusedBits, byte[] bits) {
        byte[] contents = new byte[bits.length + 1];
        contents[0] = (byte) unusedBits;
        System.arraycopy(bits, 0, contents, 1, bits.length);
        return tlv(BIT_STRING, contents);
    }

    /** The first two arcs share one number (40 * first + second); every number is written in base 128, high bit = more follows. */
    static byte[] oid(String dotted) {
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

    /** UTCTime (two-digit year) from 1950 to 2049, GeneralizedTime otherwise; UTC, whole seconds (RFC 5280 4.1.2.5). */
    static byte[] time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        String text = String.format(Locale.ROOT, "%04d%02d%02d%02d%02d%02dZ", utc.getYear(), utc.getMonthValue(),
                utc.getDayOfMonth(), utc.getHour(), utc.getMinute(), utc.getSecond());
        boolean utcTime = utc.getYear() >= 1950 && utc.getYear() < 2050;
        return utcTime ? tlv(UTC_TIME, text.substring(2).getBytes(US_ASCII)) : tlv(GENERALIZED_TIME, text.getBytes(US_ASCII));
    }

    /** Tag, length, contents. Lengths under 128 take one byte; longer ones a byte 0x80 + n, then n bytes big-endian. */
    static byte[] tlv(int tag, byte[] contents) {
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

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The consecutive elements in {@code der}, the inverse of {@link #tlv}; anything malformed is an IllegalArgumentException. */
    static List<Element> read(byte[] der) {
        List<Element> elements = new ArrayList<>();
        int position = 0;
        while (position < der.length) {
            int start = position;
            int tag = der[position++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new IllegalArgumentException("DER: multi-byte tags are not supported");
            }
            int length = position < der.length ? der[position++] & 0xff : -1;
            if (length > 0x80 && length <= 0x84) {
                int lengthBytes = length & 0x7f;
                length = 0;
                for (int i = 0; i < lengthBytes && position < der.length; i++) {
                    length = length << 8 | der[position++] & 0xff;
                }
            } else if (length >= 0x80) {
                throw new IllegalArgumentException("DER: unsupported length at offset " + start);
            }
            if (length < 0 || length > der.length - position) {
                throw new IllegalArgumentException("DER: truncated element at offset " + start);
            }
            byte[] contents = Arrays.copyOfRange(der, position, position + length);
            position += length;
            elements.add(new Element(tag, contents, Arrays.copyOfRange(der, start, position)));
        }
        return elements;
    }

    /** The single element {@code der} holds, which must have {@code tag}. */
    static Element readOne(byte[] der, int tag) {
        List<Element> elements = read(der);
        if (elements.size() != 1 || elements.get(0).tag() != tag) {
            throw new IllegalArgumentException(String.format("DER: expected one element with tag 0x%02x", tag));
        }
        return elements.get(0);
    }
}
