package io.nativesidecar.tls;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DER writer agrees with Bouncy Castle's, and the reader gives back what the writer wrote. */
class DerTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 255, 256, 70_000})
    void lengthsOfEverySizeRoundTrip(int length) throws Exception {
        byte[] contents = new byte[length];
        Arrays.fill(contents, (byte) 7);
        byte[] encoded = Der.octetString(contents);

        assertThat(encoded).isEqualTo(new DEROctetString(contents).getEncoded(ASN1Encoding.DER));
        Der.Element element = Der.readOne(encoded, Der.OCTET_STRING);
        assertThat(element.contents()).isEqualTo(contents);
        assertThat(element.encoding()).isEqualTo(encoded);
    }

    @Test
    void sequencesReadBackAsTheirElements() throws Exception {
        byte[] encoded = Der.sequence(Der.integer(BigInteger.valueOf(-129)), Der.oid("1.2.840.10045.3.1.7"), Der.sequence());

        assertThat(encoded).isEqualTo(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(-129),
                new ASN1ObjectIdentifier("1.2.840.10045.3.1.7"), new DERSequence()}).getEncoded(ASN1Encoding.DER));
        List<Der.Element> children = Der.readOne(encoded, Der.SEQUENCE).children();
        assertThat(children).extracting(Der.Element::tag).containsExactly(Der.INTEGER, Der.OBJECT_IDENTIFIER, Der.SEQUENCE);
        assertThat(new BigInteger(children.get(0).contents())).isEqualTo(-129);
        assertThat(children.get(1).encoding()).isEqualTo(Der.oid("1.2.840.10045.3.1.7"));
        assertThat(children.get(2).children()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5.29.14", "1.2.840.113549.1.1.1", "1.3.6.1.4.1.311.60.2.1.3", "2.999.1"})
    void objectIdentifiersMatchBouncyCastle(String oid) throws Exception {
        assertThat(Der.oid(oid)).isEqualTo(new ASN1ObjectIdentifier(oid).getEncoded(ASN1Encoding.DER));
    }

    @Test
    void malformedInputIsAnIllegalArgument() {
        assertThatThrownBy(() -> Der.read(new byte[] {0x04, 0x05, 1, 2})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Der.read(new byte[] {0x30, (byte) 0x80, 0, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length");
        assertThatThrownBy(() -> Der.read(new byte[] {0x04})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Der.read(new byte[] {0x1f, 0x01, 0x00})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Der.readOne(Der.sequence(), Der.OCTET_STRING)).isInstanceOf(IllegalArgumentException.class);
    }
}
