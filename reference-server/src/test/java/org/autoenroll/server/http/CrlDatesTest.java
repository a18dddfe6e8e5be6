package org.autoenroll.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CrlDatesTest {
    private static byte[] crl(Instant thisUpdate, Instant nextUpdate, int entries) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        var key = generator.generateKeyPair();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new X500Name("CN=Test CA,O=Example,C=DE"), Date.from(thisUpdate));
        if (nextUpdate != null) {
            builder.setNextUpdate(Date.from(nextUpdate));
        }
        for (int i = 1; i <= entries; i++) {
            builder.addCRLEntry(BigInteger.valueOf(i), Date.from(thisUpdate), 1);
        }
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-28T12:00:00Z", "2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z", "1999-06-01T08:30:00Z"})
    void read_agreesWithTheJdkParserAndResetsTheStream(String at) throws Exception {
        Instant thisUpdate = Instant.parse(at);
        byte[] der = crl(thisUpdate, thisUpdate.plus(1, ChronoUnit.DAYS), 50);
        X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        ByteArrayInputStream in = new ByteArrayInputStream(der);
        CrlDates.Dates dates = CrlDates.read(in);
        assertEquals(parsed.getThisUpdate().toInstant(), dates.thisUpdate());
        assertEquals(parsed.getNextUpdate().toInstant(), dates.nextUpdate().orElseThrow());
        assertEquals(der.length, in.available(), "the stream is back at the start");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 5, 10, 20, 40, 60})
    void read_truncatedOrGarbage_isAnIOException(int cut) throws Exception {
        byte[] der = crl(Instant.parse("2026-11-28T12:00:00Z"), null, 0);
        assertThrows(IOException.class, () -> CrlDates.read(new ByteArrayInputStream(Arrays.copyOf(der, cut))));
        byte[] garbage = der.clone();
        garbage[0] = 0x31;
        assertThrows(IOException.class, () -> CrlDates.read(new ByteArrayInputStream(garbage)));
    }
}
