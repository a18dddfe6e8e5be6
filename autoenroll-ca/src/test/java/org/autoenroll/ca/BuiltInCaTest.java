package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SecretRef;
import org.autoenroll.api.SigningRequest;
import org.autoenroll.ca.testkit.OpenSsl;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BuiltInCaTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = CaKeyType.class, names = {"RSA_2048", "EC_P256", "EC_P384"})
    void sign_eachCaKeyType_opensslVerifiesAndShowsNamesAndUsages(CaKeyType type) throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, type), Clock.systemUTC());
        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());

        for (KeyPair subject : List.of(Fixtures.rsaKey(), Fixtures.ecKey())) {
            IssuedCertificate issued = ca.sign(Fixtures.request(subject.getPublic()));
            Path certPem = OpenSsl.writePem(dir.resolve("cert.pem"), "CERTIFICATE", issued.certificate());

            OpenSsl.Result verify = openSsl.verify(caPem, certPem, "-purpose", "sslclient");
            assertEquals(0, verify.exitCode(), verify.output());
            assertTrue(verify.output().contains("OK"), verify.output());
            assertEquals(0, openSsl.verify(caPem, certPem, "-purpose", "smimesign").exitCode());

            String text = openSsl.certificateText(certPem);
            assertTrue(text.contains("email:alice@example.com"), text);
            assertTrue(text.contains("UPN::alice@EXAMPLE.COM"), text);
            assertTrue(text.contains("TLS Web Client Authentication"), text);
            assertTrue(text.contains("E-mail Protection"), text);
            assertTrue(text.contains("URI:https://localhost:8443/crl"), text);
            assertTrue(text.contains("CA Issuers - URI:https://localhost:8443/ca.crt"), text);
            assertTrue(text.contains("CA:FALSE"), text);
            assertTrue(text.contains("Subject: CN = Alice Smith"), text);
            String usage = subject.getPublic().getAlgorithm().equals("RSA")
                    ? "Digital Signature, Key Encipherment" : "Digital Signature, Key Agreement";
            assertTrue(text.contains(usage), text);
            assertTrue(text.contains(type == CaKeyType.RSA_2048 ? "sha256WithRSAEncryption"
                    : type == CaKeyType.EC_P256 ? "ecdsa-with-SHA256" : "ecdsa-with-SHA384"), text);
            assertEquals("CN=Alice Smith", issued.subject());
            assertArrayEquals(ca.caCertificateDer(), issued.chain().get(0));
        }
    }

    @Test
    void open_newCa_isSelfSignedCaWithCertSignAndCrlSign() throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());
        String text = openSsl.certificateText(caPem);
        assertTrue(text.contains("CA:TRUE"), text);
        assertTrue(text.contains("Certificate Sign, CRL Sign"), text);
        assertTrue(text.contains("X509v3 Subject Key Identifier"), text);
        assertEquals(0, openSsl.verify(caPem, caPem).exitCode());
        assertEquals(ca.caCertificate().getSubjectX500Principal(), ca.caCertificate().getIssuerX500Principal());
        assertEquals(ca.caCertificate().getBasicConstraints(), 0);
    }

    @Test
    void open_twiceOnSameKeystore_sameCaKeyAndCertificate() throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        CaSettings settings = Fixtures.settings(dir, CaKeyType.EC_P256);
        BuiltInCa first = BuiltInCa.open(settings, Clock.systemUTC());
        BuiltInCa second = BuiltInCa.open(settings, Clock.systemUTC());

        assertArrayEquals(first.caCertificateDer(), second.caCertificateDer());
        assertEquals(first.caCertificate().getPublicKey(), second.caCertificate().getPublicKey());
        // the key loaded from the keystore signs certificates that the first CA certificate verifies
        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", first.caCertificateDer());
        Path certPem = OpenSsl.writePem(dir.resolve("cert.pem"), "CERTIFICATE",
                second.sign(Fixtures.request(Fixtures.ecKey().getPublic())).certificate());
        assertEquals(0, openSsl.verify(caPem, certPem).exitCode());
    }

    @Test
    void open_newCa_keystoreReadableByOpenssl() throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        CaSettings settings = Fixtures.settings(dir, CaKeyType.EC_P256);
        BuiltInCa ca = BuiltInCa.open(settings, CLOCK);
        String out = openSsl.runOk(null, "pkcs12", "-in", settings.keystorePath().toString(), "-nokeys",
                "-passin", "pass:changeit-test");
        assertTrue(out.contains(OpenSsl.pem("CERTIFICATE", ca.caCertificateDer()).strip()), out);
    }

    @Test
    void open_rsaCaTwice_loadsRsaKeyAndSignsWithIt() throws Exception {
        CaSettings settings = Fixtures.settings(dir, CaKeyType.RSA_2048);
        BuiltInCa first = BuiltInCa.open(settings, CLOCK);
        BuiltInCa second = BuiltInCa.open(settings, CLOCK);
        assertEquals(CaKeyType.RSA_2048, second.keyType());
        X509Certificate cert = parse(second.sign(Fixtures.request(Fixtures.rsaKey().getPublic())).certificate());
        cert.verify(first.caCertificate().getPublicKey());
    }

    @Test
    void open_keystore_isReadableByOwnerOnly() throws Exception {
        CaSettings settings = Fixtures.settings(dir.resolve("nested"), CaKeyType.EC_P256);
        BuiltInCa.open(settings, CLOCK);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(settings.keystorePath())));
        try (var files = Files.list(settings.keystorePath().getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void open_wrongPassword_wrongPasswordReason() throws Exception {
        CaSettings settings = Fixtures.settings(dir, CaKeyType.EC_P256);
        BuiltInCa.open(settings, CLOCK);
        CaSettings wrong = CaSettings.builder().subjectDn(settings.subjectDn()).keystorePath(settings.keystorePath())
                .keystorePassword(SecretRef.literal("not-the-password".toCharArray())).baseUrl(Fixtures.BASE_URL).build();

        CaStartupException e = assertThrows(CaStartupException.class, () -> BuiltInCa.open(wrong, CLOCK));
        assertEquals(CaStartupException.Reason.WRONG_PASSWORD, e.reason());
        assertTrue(!e.getMessage().contains("not-the-password") && !e.getMessage().contains("changeit-test"));
    }

    @Test
    void open_notAKeystore_keystoreInvalidReason() throws Exception {
        CaSettings settings = Fixtures.settings(dir, CaKeyType.EC_P256);
        Files.writeString(settings.keystorePath(), "not a keystore");
        CaStartupException e = assertThrows(CaStartupException.class, () -> BuiltInCa.open(settings, CLOCK));
        assertEquals(CaStartupException.Reason.KEYSTORE_INVALID, e.reason());
    }

    @Test
    void open_passwordEnvironmentVariableUnset_passwordUnavailableReason() {
        CaSettings settings = CaSettings.builder().subjectDn("CN=x").keystorePath(dir.resolve("ca.p12"))
                .keystorePassword(SecretRef.parse("env:AUTOENROLL_TEST_SURELY_UNSET_VARIABLE"))
                .baseUrl(Fixtures.BASE_URL).build();
        CaStartupException e = assertThrows(CaStartupException.class, () -> BuiltInCa.open(settings, CLOCK));
        assertEquals(CaStartupException.Reason.PASSWORD_UNAVAILABLE, e.reason());
        assertTrue(Files.notExists(settings.keystorePath()));
    }

    @Test
    void sign_200Certificates_serialsDistinctPositiveWithAtLeast64Bits() throws Exception {
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        PublicKey key = Fixtures.ecKey().getPublic();
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            BigInteger serial = ca.sign(Fixtures.request(key)).serial();
            assertTrue(serial.signum() > 0);
            assertTrue(serial.bitLength() >= 64 && serial.bitLength() <= 159, "bits: " + serial.bitLength());
            serials.add(serial);
        }
        assertEquals(200, serials.size());
    }

    @Test
    void sign_fixedClock_validFromFiveMinutesEarlierForProfileValidity() throws Exception {
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        IssuedCertificate issued = ca.sign(Fixtures.request(Fixtures.ecKey().getPublic()));
        assertEquals(NOW.minus(Duration.ofMinutes(5)), issued.notBefore());
        assertEquals(NOW.plus(Duration.ofDays(365)), issued.notAfter());
        X509Certificate cert = parse(issued.certificate());
        assertEquals(issued.notBefore(), cert.getNotBefore().toInstant());
        assertEquals(issued.notAfter(), cert.getNotAfter().toInstant());
        assertEquals(issued.serial(), cert.getSerialNumber());
    }

    @Test
    void sign_profileOutlivesCa_notAfterCappedAtCaNotAfter() throws Exception {
        CaSettings settings = CaSettings.builder().subjectDn("CN=short CA").keystorePath(dir.resolve("ca.p12"))
                .keystorePassword(SecretRef.literal("pw".toCharArray())).baseUrl(Fixtures.BASE_URL)
                .caValidity(Duration.ofDays(30)).build();
        BuiltInCa ca = BuiltInCa.open(settings, CLOCK);
        IssuedCertificate issued = ca.sign(Fixtures.request(Fixtures.ecKey().getPublic()));
        assertEquals(ca.caCertificate().getNotAfter().toInstant(), issued.notAfter());
    }

    @Test
    void sign_caExpired_certificateIssuanceFailed() throws Exception {
        CaSettings settings = CaSettings.builder().subjectDn("CN=short CA").keystorePath(dir.resolve("ca.p12"))
                .keystorePassword(SecretRef.literal("pw".toCharArray())).baseUrl(Fixtures.BASE_URL)
                .caValidity(Duration.ofDays(1)).build();
        BuiltInCa.open(settings, CLOCK);
        BuiltInCa later = BuiltInCa.open(settings, Clock.fixed(NOW.plus(Duration.ofDays(2)), ZoneOffset.UTC));
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> later.sign(Fixtures.request(Fixtures.ecKey().getPublic())));
        assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
    }

    @Test
    void sign_withSid_addsMicrosoftSidExtension() throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        String sid = "S-1-5-21-3623811015-3361044348-30300820-1013";
        IssuedCertificate issued = ca.sign(new TestSigningRequest(Fixtures.ecKey().getPublic(), "Alice", "alice@example.com",
                "alice@EXAMPLE.COM", sid, Fixtures.PROFILE));

        X509CertificateHolder holder = new X509CertificateHolder(issued.certificate());
        var extension = holder.getExtension(ProfileExtensions.NTDS_CA_SECURITY_EXT);
        GeneralName[] names = GeneralNames.getInstance(extension.getParsedValue()).getNames();
        assertEquals(1, names.length);
        assertEquals(GeneralName.otherName, names[0].getTagNo());
        ASN1Sequence otherName = ASN1Sequence.getInstance(names[0].getName());
        assertEquals(ProfileExtensions.NTDS_OBJECTSID, otherName.getObjectAt(0));
        ASN1TaggedObject value = ASN1TaggedObject.getInstance(otherName.getObjectAt(1));
        assertEquals(0, value.getTagNo());
        assertEquals(sid, new String(ASN1OctetString.getInstance(value.getExplicitBaseObject()).getOctets(),
                StandardCharsets.US_ASCII));
        // the bytes as AD CS writes them: 30 len A0 len 06 0A 2B06010401823719 0201 A0 len 04 len "S-1-5-..."
        byte[] der = extension.getExtnValue().getOctets();
        assertEquals(0x30, der[0] & 0xff);
        assertEquals(0xA0, der[2] & 0xff);
        assertEquals(0x06, der[4] & 0xff);

        Path certPem = OpenSsl.writePem(dir.resolve("cert.pem"), "CERTIFICATE", issued.certificate());
        assertTrue(openSsl.certificateText(certPem).contains("1.3.6.1.4.1.311.25.2"));
    }

    @Test
    void sign_withoutUpnAndSid_onlyEmailInSanAndNoSidExtension() throws Exception {
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        IssuedCertificate issued = ca.sign(new TestSigningRequest(Fixtures.ecKey().getPublic(), "Bob", "bob@example.com",
                null, null, Fixtures.PROFILE));
        X509CertificateHolder holder = new X509CertificateHolder(issued.certificate());
        assertEquals(null, holder.getExtension(ProfileExtensions.NTDS_CA_SECURITY_EXT));
        GeneralName[] names = GeneralNames.fromExtensions(holder.getExtensions(),
                org.bouncycastle.asn1.x509.Extension.subjectAlternativeName).getNames();
        assertEquals(1, names.length);
        assertEquals(GeneralName.rfc822Name, names[0].getTagNo());
    }

    @Test
    void sign_commonNameLongerThan64_certificateIssuanceFailed() throws Exception {
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> ca.sign(new TestSigningRequest(
                Fixtures.ecKey().getPublic(), "x".repeat(65), "a@example.com", null, null, Fixtures.PROFILE)));
        assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
    }

    @Test
    void sign_malformedSid_certificateIssuanceFailed() throws Exception {
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> ca.sign(new TestSigningRequest(
                Fixtures.ecKey().getPublic(), "a", "a@example.com", null, "not-a-sid", Fixtures.PROFILE)));
        assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
    }

    @Test
    void sign_publicKeyWithBrokenEncoding_certificateIssuanceFailed() throws Exception {
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        PublicKey broken = new PublicKey() {
            @Override
            public String getAlgorithm() {
                return "RSA";
            }

            @Override
            public String getFormat() {
                return "X.509";
            }

            @Override
            public byte[] getEncoded() {
                return new byte[] {1, 2, 3};
            }
        };
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> ca.sign(Fixtures.request(broken)));
        assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
    }

    @Test
    void issueTlsServerCertificate_localhostAndLoopback_opensslVerifiesForServer() throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), Clock.systemUTC());
        X509Certificate[] chain = ca.issueTlsServerCertificate(List.of("localhost", "127.0.0.1"), Fixtures.rsaKey());
        assertEquals(2, chain.length);
        assertArrayEquals(ca.caCertificateDer(), chain[1].getEncoded());
        assertEquals(Fixtures.rsaKey().getPublic(), chain[0].getPublicKey());

        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());
        Path certPem = OpenSsl.writePem(dir.resolve("server.pem"), "CERTIFICATE", chain[0].getEncoded());
        assertEquals(0, openSsl.verify(caPem, certPem, "-purpose", "sslserver", "-verify_hostname", "localhost").exitCode());
        assertEquals(0, openSsl.verify(caPem, certPem, "-purpose", "sslserver", "-verify_ip", "127.0.0.1").exitCode());
        assertNotEquals(0, openSsl.verify(caPem, certPem, "-purpose", "sslserver", "-verify_hostname", "evil.example").exitCode());
        String text = openSsl.certificateText(certPem);
        assertTrue(text.contains("DNS:localhost"), text);
        assertTrue(text.contains("IP Address:127.0.0.1"), text);
        assertTrue(text.contains("TLS Web Server Authentication"), text);
    }

    @Test
    void issueTlsServerCertificate_invalidName_illegalArgument() throws Exception {
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        assertThrows(IllegalArgumentException.class,
                () -> ca.issueTlsServerCertificate(List.of("bad name;"), Fixtures.ecKey()));
        assertThrows(IllegalArgumentException.class, () -> ca.issueTlsServerCertificate(List.of(), Fixtures.ecKey()));
    }

    @Test
    void caChain_isTheCaCertificate() throws Exception {
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        assertEquals(1, ca.caChain().size());
        assertArrayEquals(ca.caCertificate().getEncoded(), ca.caChain().get(0));
    }

    @Test
    void sign_concurrently_allCertificatesValid() throws Exception {
        BuiltInCa ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), CLOCK);
        PublicKey key = Fixtures.ecKey().getPublic();
        List<IssuedCertificate> issued = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    try {
                        issued.add(ca.sign(Fixtures.request(key)));
                    } catch (EnrollmentException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(160, issued.size());
        for (IssuedCertificate certificate : issued) {
            parse(certificate.certificate()).verify(ca.caCertificate().getPublicKey());
        }
    }

    static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
