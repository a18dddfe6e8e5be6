package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.ca.testkit.OpenSsl;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrlPublisherTest {
    @TempDir
    Path dir;
    // real time: openssl checks the CRL's and certificates' validity against its own clock
    private final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.now());
    private JdbcCertificateStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private BuiltInCa ca(CaKeyType type) throws Exception {
        store = JdbcCertificateStore.h2(dir.resolve("db"), clock);
        return BuiltInCa.open(Fixtures.settings(dir, type), clock);
    }

    private IssuedCertificate issue(BuiltInCa ca, String requestId) throws Exception {
        IssuedCertificate issued = ca.sign(Fixtures.request(Fixtures.ecKey().getPublic()));
        store.recordIssued(Fixtures.record(issued, requestId), Optional.empty());
        return issued;
    }

    @ParameterizedTest
    @EnumSource(value = CaKeyType.class, names = {"RSA_2048", "EC_P256"})
    void currentCrl_oneRevoked_opensslVerifiesCrlAndRefusesOnlyTheRevoked(CaKeyType type) throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        BuiltInCa ca = ca(type);
        IssuedCertificate revoked = issue(ca, "req-1");
        IssuedCertificate good = issue(ca, "req-2");
        assertTrue(store.revoke(revoked.serial(), RevocationReason.KEY_COMPROMISE, clock.instant()));

        CrlPublisher publisher = new CrlPublisher(ca, store, clock);
        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());
        Path crlPem = OpenSsl.writePem(dir.resolve("crl.pem"), "X509 CRL", publisher.currentCrl());
        Path revokedPem = OpenSsl.writePem(dir.resolve("revoked.pem"), "CERTIFICATE", revoked.certificate());
        Path goodPem = OpenSsl.writePem(dir.resolve("good.pem"), "CERTIFICATE", good.certificate());

        String crlCheck = openSsl.runOk(null, "crl", "-CAfile", caPem.toString(), "-noout", "-in", crlPem.toString());
        assertTrue(crlCheck.contains("verify OK"), crlCheck);
        String text = openSsl.runOk(null, "crl", "-noout", "-text", "-in", crlPem.toString());
        assertTrue(text.contains("X509v3 CRL Number"), text);
        assertTrue(text.contains("X509v3 Authority Key Identifier"), text);
        assertTrue(text.contains("Key Compromise"), text);
        assertTrue(text.contains(revoked.serial().toString(16).toUpperCase()), text);
        assertTrue(text.contains("Next Update"), text);

        OpenSsl.Result refused = openSsl.verify(caPem, revokedPem, "-crl_check", "-CRLfile", crlPem.toString());
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("certificate revoked"), refused.output());
        OpenSsl.Result accepted = openSsl.verify(caPem, goodPem, "-crl_check", "-CRLfile", crlPem.toString());
        assertEquals(0, accepted.exitCode(), accepted.output());
    }

    @ParameterizedTest
    @EnumSource(value = CaKeyType.class, names = {"RSA_2048", "EC_P256"})
    void currentDeltaCrl_revokedAfterBase_opensslRefusesWithBasePlusDeltaOnly(CaKeyType type) throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        BuiltInCa ca = ca(type);
        IssuedCertificate early = issue(ca, "req-1");
        IssuedCertificate late = issue(ca, "req-2");
        IssuedCertificate good = issue(ca, "req-3");
        store.revoke(early.serial(), RevocationReason.CESSATION_OF_OPERATION, clock.instant().minus(Duration.ofHours(1)));
        CrlPublisher publisher = new CrlPublisher(ca, store, clock);
        byte[] base = publisher.currentCrl();
        store.revoke(late.serial(), RevocationReason.KEY_COMPROMISE, clock.instant());
        byte[] delta = publisher.currentDeltaCrl();

        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());
        Path basePem = OpenSsl.writePem(dir.resolve("base.pem"), "X509 CRL", base);
        Path deltaPem = OpenSsl.writePem(dir.resolve("delta.pem"), "X509 CRL", delta);
        Path earlyPem = OpenSsl.writePem(dir.resolve("early.pem"), "CERTIFICATE", early.certificate());
        Path latePem = OpenSsl.writePem(dir.resolve("late.pem"), "CERTIFICATE", late.certificate());
        Path goodPem = OpenSsl.writePem(dir.resolve("good.pem"), "CERTIFICATE", good.certificate());

        String check = openSsl.runOk(null, "crl", "-CAfile", caPem.toString(), "-noout", "-in", deltaPem.toString());
        assertTrue(check.contains("verify OK"), check);
        String baseText = openSsl.runOk(null, "crl", "-noout", "-text", "-in", basePem.toString());
        assertTrue(baseText.contains("Issuing Distribution Point"), baseText);
        assertTrue(baseText.contains("Freshest CRL"), baseText);
        assertTrue(baseText.contains("URI:https://localhost:8443/crl/delta"), baseText);
        String deltaText = openSsl.runOk(null, "crl", "-noout", "-text", "-in", deltaPem.toString());
        assertTrue(deltaText.contains("Delta CRL Indicator: critical"), deltaText);
        assertTrue(deltaText.contains("Issuing Distribution Point: critical"), deltaText);
        assertTrue(deltaText.contains(late.serial().toString(16).toUpperCase()), deltaText);
        assertFalse(deltaText.contains(early.serial().toString(16).toUpperCase()), "revoked before the base");
        BigInteger baseNumber = number(new X509CRLHolder(base));
        assertEquals(Optional.of(baseNumber), publisher.lastDeltaBaseNumber());
        assertTrue(number(new X509CRLHolder(delta)).compareTo(baseNumber) > 0);

        String[] both = {"-crl_check", "-use_deltas", "-CRLfile", basePem.toString(), "-CRLfile", deltaPem.toString()};
        OpenSsl.Result lateWithDelta = openSsl.verify(caPem, latePem, both);
        assertNotEquals(0, lateWithDelta.exitCode(), lateWithDelta.output());
        assertTrue(lateWithDelta.output().contains("certificate revoked"), lateWithDelta.output());
        OpenSsl.Result lateBaseOnly = openSsl.verify(caPem, latePem, "-crl_check", "-CRLfile", basePem.toString());
        assertEquals(0, lateBaseOnly.exitCode(), lateBaseOnly.output());
        OpenSsl.Result earlyWithDelta = openSsl.verify(caPem, earlyPem, both);
        assertTrue(earlyWithDelta.output().contains("certificate revoked"), earlyWithDelta.output());
        OpenSsl.Result goodWithDelta = openSsl.verify(caPem, goodPem, both);
        assertEquals(0, goodWithDelta.exitCode(), goodWithDelta.output());

        String certText = openSsl.certificateText(goodPem);
        assertTrue(certText.contains("X509v3 Freshest CRL"), certText);
        assertTrue(certText.contains("OCSP - URI:https://localhost:8443/ocsp"), certText);
        assertTrue(certText.contains("CA Issuers - URI:https://localhost:8443/ca.crt"), certText);
    }

    @Test
    void currentDeltaCrl_noBaseYet_buildsBaseFirstAndCachesDelta() throws Exception {
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        CrlPublisher publisher = new CrlPublisher(ca, store, clock);
        byte[] delta = publisher.currentDeltaCrl();
        assertEquals(publisher.lastCrlNumber(), publisher.lastDeltaBaseNumber());
        assertArrayEquals(delta, publisher.currentDeltaCrl());
        X509CRLHolder holder = new X509CRLHolder(delta);
        assertTrue(holder.getRevokedCertificates().isEmpty());
        assertTrue(holder.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(new JcaX509CertificateHolder(ca.caCertificate()))));
        // a new base (after the refresh interval) gives a new delta that refers to it
        clock.advance(Duration.ofMinutes(61));
        publisher.currentDeltaCrl();
        assertEquals(publisher.lastCrlNumber(), publisher.lastDeltaBaseNumber());
        assertTrue(publisher.lastDeltaBaseNumber().orElseThrow().compareTo(number(new X509CRLHolder(delta))) > 0);
    }

    @Test
    void currentCrl_supersededByRenewal_listedWithReasonSuperseded() throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        IssuedCertificate old = issue(ca, "req-1");
        IssuedCertificate renewal = ca.sign(Fixtures.request(Fixtures.ecKey().getPublic()));
        store.recordIssued(Fixtures.record(renewal, "req-2"), Optional.of(old.serial()));

        Path crlPem = OpenSsl.writePem(dir.resolve("crl.pem"), "X509 CRL", new CrlPublisher(ca, store, clock).currentCrl());
        String text = openSsl.runOk(null, "crl", "-noout", "-text", "-in", crlPem.toString());
        assertTrue(text.contains("Superseded"), text);
    }

    @Test
    void currentCrl_nothingRevoked_emptySignedCrl() throws Exception {
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        X509CRLHolder crl = new X509CRLHolder(new CrlPublisher(ca, store, clock).currentCrl());
        assertTrue(crl.getRevokedCertificates().isEmpty());
        assertTrue(crl.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(new JcaX509CertificateHolder(ca.caCertificate()))));
        assertEquals(clock.instant().plus(CrlPublisher.DEFAULT_VALIDITY).getEpochSecond(),
                crl.getNextUpdate().toInstant().getEpochSecond());
    }

    @Test
    void currentCrl_noChange_cachedSameBytes() throws Exception {
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        CrlPublisher publisher = new CrlPublisher(ca, store, clock);
        byte[] first = publisher.currentCrl();
        clock.advance(Duration.ofMinutes(5));
        assertArrayEquals(first, publisher.currentCrl());
    }

    @Test
    void publishNow_freshCachedCrl_newCrlWithHigherNumberAndLaterThisUpdateServedFromThenOn() throws Exception {
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        CrlPublisher publisher = new CrlPublisher(ca, store, clock);
        X509CRLHolder before = new X509CRLHolder(publisher.currentCrl());
        clock.advance(Duration.ofMinutes(2));

        java.math.BigInteger published = publisher.publishNow();
        X509CRLHolder after = new X509CRLHolder(publisher.currentCrl());
        assertEquals(published, number(after));
        assertTrue(number(after).compareTo(number(before)) > 0);
        assertTrue(after.getThisUpdate().after(before.getThisUpdate()));
        assertEquals(published, publisher.lastCrlNumber().orElseThrow());
    }

    @Test
    void currentCrl_afterRevocation_rebuiltWithHigherNumberAndEntry() throws Exception {
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        IssuedCertificate issued = issue(ca, "req-1");
        CrlPublisher publisher = new CrlPublisher(ca, store, clock);
        X509CRLHolder before = new X509CRLHolder(publisher.currentCrl());

        store.revoke(issued.serial(), RevocationReason.AFFILIATION_CHANGED, clock.instant());
        X509CRLHolder after = new X509CRLHolder(publisher.currentCrl());
        assertTrue(number(after).compareTo(number(before)) > 0);
        assertEquals(1, after.getRevokedCertificates().size());
        assertEquals(issued.serial(), after.getRevokedCertificate(issued.serial()).getSerialNumber());
    }

    @Test
    void currentCrl_refreshIntervalPassed_rebuiltWithHigherNumber() throws Exception {
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        CrlPublisher publisher = new CrlPublisher(ca, store, clock, Duration.ofHours(24), Duration.ofHours(1));
        X509CRLHolder first = new X509CRLHolder(publisher.currentCrl());
        clock.advance(Duration.ofMinutes(61));
        X509CRLHolder second = new X509CRLHolder(publisher.currentCrl());
        assertTrue(number(second).compareTo(number(first)) > 0);
        assertTrue(second.getThisUpdate().after(first.getThisUpdate()));
        assertEquals(Optional.of(number(second)), publisher.lastCrlNumber());
    }

    @Test
    void currentCrl_afterRestart_numberKeepsGrowing() throws Exception {
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        BigInteger first = number(new X509CRLHolder(new CrlPublisher(ca, store, clock).currentCrl()));
        store.close();
        store = JdbcCertificateStore.h2(dir.resolve("db"), clock);
        BigInteger second = number(new X509CRLHolder(new CrlPublisher(ca, store, clock).currentCrl()));
        assertTrue(second.compareTo(first) > 0, first + " then " + second);
    }

    @Test
    void currentCrl_manyThreadsWhileRevoking_everyCrlValidAndNumbersNeverDecrease() throws Exception {
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        CrlPublisher publisher = new CrlPublisher(ca, store, clock);
        var verifier = new JcaContentVerifierProviderBuilder().build(new JcaX509CertificateHolder(ca.caCertificate()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<BigInteger>> numbers = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                IssuedCertificate issued = issue(ca, "req-" + i);
                store.revoke(issued.serial(), RevocationReason.UNSPECIFIED, clock.instant());
                for (int j = 0; j < 4; j++) {
                    numbers.add(pool.submit(() -> {
                        X509CRLHolder crl = new X509CRLHolder(publisher.currentCrl());
                        assertTrue(crl.isSignatureValid(verifier));
                        return number(crl);
                    }));
                }
            }
            for (var number : numbers) {
                assertTrue(number.get().signum() > 0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5, new X509CRLHolder(publisher.currentCrl()).getRevokedCertificates().size());
    }

    @Test
    void currentCrl_tenThousandRevoked_opensslVerifiesAndEntriesEqualStore() throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        long inserted = org.autoenroll.ca.testkit.RevokedRows.insert(store.dataSource(), 10_000, 11, clock.instant());
        Path work = java.nio.file.Files.createDirectories(dir.resolve("crl-work"));
        CrlPublisher publisher = new CrlPublisher(ca, store, clock, CrlPublisher.DEFAULT_VALIDITY,
                CrlPublisher.DEFAULT_REFRESH, work);
        byte[] der;
        try (java.io.InputStream in = publisher.openCurrentCrl()) {
            der = in.readAllBytes();
        }
        assertArrayEquals(der, publisher.currentCrl());
        try (var files = java.nio.file.Files.list(work)) {
            assertEquals(0, files.count(), "the spooled entries are deleted");
        }

        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());
        Path crlPem = OpenSsl.writePem(dir.resolve("crl.pem"), "X509 CRL", der);
        String check = openSsl.runOk(null, "crl", "-CAfile", caPem.toString(), "-noout", "-in", crlPem.toString());
        assertTrue(check.contains("verify OK"), check);

        java.util.Map<BigInteger, org.bouncycastle.cert.X509CRLEntryHolder> entries = new java.util.HashMap<>();
        for (Object o : new X509CRLHolder(der).getRevokedCertificates()) {
            var entry = (org.bouncycastle.cert.X509CRLEntryHolder) o;
            entries.put(entry.getSerialNumber(), entry);
        }
        assertEquals(inserted, entries.size());
        java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
        store.forEachRevocation(null, (serial, at, reason) -> {
            var entry = entries.get(serial);
            assertTrue(entry != null, serial.toString(16));
            assertEquals(at.getEpochSecond(), entry.getRevocationDate().toInstant().getEpochSecond());
            var ext = entry.getExtensions() == null ? null : entry.getExtensions().getExtension(Extension.reasonCode);
            int code = ext == null ? 0 : org.bouncycastle.asn1.x509.CRLReason.getInstance(ext.getParsedValue())
                    .getValue().intValue();
            assertEquals(reason.code(), code);
            seen.incrementAndGet();
        });
        assertEquals(inserted, seen.get());
    }

    @Test
    void constructor_refreshLongerThanValidity_illegalArgument() throws Exception {
        BuiltInCa ca = ca(CaKeyType.EC_P256);
        assertThrows(IllegalArgumentException.class,
                () -> new CrlPublisher(ca, store, clock, Duration.ofHours(1), Duration.ofHours(2)));
    }

    private static BigInteger number(X509CRLHolder crl) {
        return CRLNumber.getInstance(crl.getExtension(Extension.cRLNumber).getParsedValue()).getCRLNumber();
    }
}
