package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.autoenroll.api.RevocationReason;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingCrlWriterTest {
    private static final X500Name ISSUER = new X500Name("CN=autoenroll test CA,O=Example");
    private static final Instant THIS_UPDATE = Instant.parse("2025-11-28T10:00:00Z");

    @TempDir
    Path dir;

    private record Entry(BigInteger serial, Instant at, RevocationReason reason) {
    }

    /** Serials of every length class, dates on both sides of 2050, every reason (unspecified has no extension). */
    private static List<Entry> entries(int count) {
        Random random = new Random(42);
        List<Entry> list = new ArrayList<>();
        list.add(new Entry(BigInteger.ONE, Instant.parse("1960-01-01T00:00:00Z"), RevocationReason.KEY_COMPROMISE));
        list.add(new Entry(BigInteger.valueOf(255), Instant.parse("2050-06-30T23:59:59Z"), RevocationReason.UNSPECIFIED));
        list.add(new Entry(BigInteger.ONE.shiftLeft(159).subtract(BigInteger.ONE), Instant.parse("2049-12-31T23:59:59.999Z"),
                RevocationReason.AA_COMPROMISE));
        for (int i = list.size(); i < count; i++) {
            list.add(new Entry(new BigInteger(1 + random.nextInt(159), random).add(BigInteger.ONE),
                    THIS_UPDATE.minusSeconds(random.nextInt(10_000_000)),
                    RevocationReason.values()[i % RevocationReason.values().length]));
        }
        return list;
    }

    private static Extensions extensions() throws Exception {
        ExtensionsGenerator generator = new ExtensionsGenerator();
        generator.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(12345)));
        return generator.generate();
    }

    private byte[] streamed(List<Entry> entries, Instant nextUpdate, ContentSigner signer) throws Exception {
        try (StreamingCrlWriter writer = new StreamingCrlWriter(ISSUER, THIS_UPDATE, nextUpdate, extensions(),
                signer.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER), dir)) {
            for (Entry e : entries) {
                writer.add(e.serial(), e.at(), e.reason());
            }
            assertEquals(entries.size(), writer.count());
            return writer.sign(signer);
        }
    }

    private static byte[] bouncyCastle(List<Entry> entries, Instant nextUpdate, ContentSigner signer) throws Exception {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(ISSUER, Date.from(THIS_UPDATE));
        if (nextUpdate != null) {
            builder.setNextUpdate(Date.from(nextUpdate));
        }
        for (Entry e : entries) {
            builder.addCRLEntry(e.serial(), Date.from(e.at()), e.reason().code());
        }
        for (var oid : extensions().getExtensionOIDs()) {
            builder.addExtension(extensions().getExtension(oid));
        }
        return builder.build(signer).getEncoded();
    }

    /** RSA PKCS#1 v1.5 signatures are deterministic: equal TBS gives equal CRLs. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4, 200, 3000})
    void sign_rsa_sameBytesAsBouncyCastleBuilder(int count) throws Exception {
        KeyPair key = Fixtures.rsaKey();
        List<Entry> entries = entries(count).subList(0, count);
        Instant nextUpdate = count % 2 == 0 ? THIS_UPDATE.plusSeconds(86_400) : null;
        byte[] ours = streamed(entries, nextUpdate, new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
        byte[] theirs = bouncyCastle(entries, nextUpdate, new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
        assertArrayEquals(theirs, ours);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the entries file is deleted");
        }
    }

    @Test
    void sign_ecdsa_signatureValidAndEntriesAsAdded() throws Exception {
        KeyPair key = Fixtures.ecKey();
        List<Entry> entries = entries(500);
        byte[] ours = streamed(entries, THIS_UPDATE.plusSeconds(3600),
                new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        X509CRLHolder crl = new X509CRLHolder(ours);
        assertTrue(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic())));
        List<X509CRLEntryHolder> parsed = new ArrayList<>(crl.getRevokedCertificates());
        assertEquals(entries.size(), parsed.size());
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(entries.get(i).serial(), parsed.get(i).getSerialNumber());
            assertEquals(entries.get(i).at().getEpochSecond(), parsed.get(i).getRevocationDate().toInstant().getEpochSecond());
        }
    }
}
