package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.testkit.OpenSsl;
import org.autoenroll.ca.testkit.SoftHsm;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CA key in a PKCS#11 token: a real SoftHSM2 through the JDK's SunPKCS11. One token for the
 * class (SoftHSM2 reads its configuration once per JVM, see {@link SoftHsm}); each test its own key alias.
 */
class Pkcs11CaTest {
    private static final String PIN = "1234";
    private static SoftHsm hsm;
    private static long slot;

    @TempDir
    Path dir;
    private final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.now());

    @BeforeAll
    static void token() throws Exception {
        hsm = SoftHsm.start();
        slot = hsm.initToken("autoenroll", PIN, "5678");
    }

    private CaSettings settings(CaKeyType type, String alias, String pin) {
        return CaSettings.builder()
                .subjectDn("CN=autoenroll PKCS#11 test CA,O=Example")
                .keyType(type)
                .pkcs11(Pkcs11Settings.slot(hsm.library(), slot, SecretRef.literal(pin.toCharArray()), alias))
                .baseUrl(Fixtures.BASE_URL)
                .build();
    }

    @ParameterizedTest
    @EnumSource(value = CaKeyType.class, names = {"EC_P256", "RSA_2048"})
    void open_pkcs11_certificateCrlAndOcspSignedByTokenVerifyWithOpenssl(CaKeyType type) throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        BuiltInCa ca = BuiltInCa.open(settings(type, "ca-" + type.name().toLowerCase(), PIN), clock);
        assertTrue(ca.keyInToken());
        assertEquals(type, ca.keyType());
        try (JdbcCertificateStore store = JdbcCertificateStore.h2(dir.resolve("db"), clock)) {
            IssuedCertificate good = ca.sign(Fixtures.request(Fixtures.ecKey().getPublic()));
            IssuedCertificate revoked = ca.sign(Fixtures.request(Fixtures.ecKey().getPublic()));
            store.recordIssued(Fixtures.record(good, "req-1"), Optional.empty());
            store.recordIssued(Fixtures.record(revoked, "req-2"), Optional.empty());
            store.revoke(revoked.serial(), RevocationReason.KEY_COMPROMISE, clock.instant());

            Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());
            Path goodPem = OpenSsl.writePem(dir.resolve("good.pem"), "CERTIFICATE", good.certificate());
            Path revokedPem = OpenSsl.writePem(dir.resolve("revoked.pem"), "CERTIFICATE", revoked.certificate());
            OpenSsl.Result plain = openSsl.verify(caPem, goodPem);
            assertEquals(0, plain.exitCode(), plain.output());

            Path crlPem = OpenSsl.writePem(dir.resolve("crl.pem"), "X509 CRL",
                    new CrlPublisher(ca, store, clock).currentCrl());
            String check = openSsl.runOk(null, "crl", "-CAfile", caPem.toString(), "-noout", "-in", crlPem.toString());
            assertTrue(check.contains("verify OK"), check);
            OpenSsl.Result accepted = openSsl.verify(caPem, goodPem, "-crl_check", "-CRLfile", crlPem.toString());
            assertEquals(0, accepted.exitCode(), accepted.output());
            OpenSsl.Result refused = openSsl.verify(caPem, revokedPem, "-crl_check", "-CRLfile", crlPem.toString());
            assertNotEquals(0, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("certificate revoked"), refused.output());

            // an OCSP response signed by the token's key
            OcspResponder responder = OcspResponder.open(ca, store, clock);
            org.bouncycastle.cert.ocsp.OCSPReq request = new org.bouncycastle.cert.ocsp.OCSPReqBuilder()
                    .addRequest(new org.bouncycastle.cert.ocsp.CertificateID(
                            new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build()
                                    .get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1),
                            new X509CertificateHolder(ca.caCertificateDer()), revoked.serial())).build();
            OCSPResp response = new OCSPResp(responder.respond(request.getEncoded()));
            assertEquals(OCSPResp.SUCCESSFUL, response.getStatus());
            BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
            assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.caCertificate())));
        }
    }

    @Test
    void open_restart_sameKeyAndCertificateAndKeyNotExtractable() throws Exception {
        CaSettings settings = settings(CaKeyType.EC_P256, "ca-restart", PIN);
        BuiltInCa first = BuiltInCa.open(settings, clock);
        BuiltInCa second = BuiltInCa.open(settings, clock);
        assertArrayEquals(first.caCertificateDer(), second.caCertificateDer());
        // a handle into the token: SunPKCS11's key class, no encoding, no format
        assertTrue(second.caKey().getClass().getName().startsWith("sun.security.pkcs11."),
                second.caKey().getClass().getName());
        assertNull(second.caKey().getEncoded());
        assertNull(second.caKey().getFormat());
        // and it signs: a certificate issued after the restart verifies with the first start's CA key
        IssuedCertificate issued = second.sign(Fixtures.request(Fixtures.ecKey().getPublic()));
        java.security.cert.X509Certificate certificate = (java.security.cert.X509Certificate)
                java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(issued.certificate()));
        certificate.verify(first.caCertificate().getPublicKey());
    }

    /** In a child JVM: only the first login of a process checks the PIN (see {@link Pkcs11OpenMain}). */
    @Test
    void open_wrongPinInFreshProcess_wrongPassword() throws Exception {
        BuiltInCa.open(settings(CaKeyType.EC_P256, "ca-pin", PIN), clock);
        assertEquals("WRONG_PASSWORD", openInChild("9999", "ca-pin"));
        assertEquals("OPENED", openInChild(PIN, "ca-pin"));
    }

    private static String openInChild(String pin, String alias) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                Pkcs11OpenMain.class.getName(), hsm.library().toString(), Long.toString(slot), pin, alias)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), output);
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    @Test
    void open_missingLibrary_keystoreInvalid() {
        CaSettings settings = CaSettings.builder().subjectDn("CN=x").pkcs11(Pkcs11Settings.slot(
                dir.resolve("no-such-pkcs11.so"), slot, SecretRef.literal(PIN.toCharArray()), null))
                .baseUrl(Fixtures.BASE_URL).build();
        CaStartupException e = assertThrows(CaStartupException.class, () -> BuiltInCa.open(settings, clock));
        assertEquals(CaStartupException.Reason.KEYSTORE_INVALID, e.reason());
    }
}
