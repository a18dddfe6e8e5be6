package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Security;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.testkit.OpenSsl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CA's crypto provider choice: certificates and CRLs signed by the Amazon Corretto Crypto
 * Provider (native) verify with openssl; Bouncy Castle signs when configured, and when AUTO finds
 * no native provider (its absence simulated by the loader); a required native provider that cannot
 * load stops the CA; nothing is registered in the JVM's provider list.
 */
class CryptoProviderChoiceTest {
    private static final AccpLoader.Loaded ABSENT = new AccpLoader.Loaded(null, "simulated: not on the class path");

    @TempDir
    Path dir;
    // real time: openssl checks validity against its own clock
    private final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.now());
    private JdbcCertificateStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /** The native provider loads on the project's machines (linux-x86_64): skipped elsewhere, outside CI only. */
    private static void requireNative() {
        AccpLoader.Loaded loaded = AccpLoader.load();
        if (loaded.provider() == null) {
            if (System.getenv("CI") != null) {
                Assertions.fail("the Amazon Corretto Crypto Provider must load in CI: " + loaded.error());
            }
            Assumptions.abort("the Amazon Corretto Crypto Provider does not load here: " + loaded.error());
        }
    }

    private CaSettings settings(CaKeyType type, CryptoProviderChoice choice) {
        return CaSettings.builder().subjectDn("CN=autoenroll test CA,O=Example").keyType(type)
                .keystorePath(dir.resolve("ca.p12")).keystorePassword(SecretRef.literal("changeit-test".toCharArray()))
                .baseUrl(Fixtures.BASE_URL).cryptoProvider(choice).build();
    }

    @ParameterizedTest
    @EnumSource(value = CaKeyType.class, names = {"RSA_2048", "EC_P256", "EC_P384"})
    void accp_certificatesAndCrl_opensslVerifiesThem(CaKeyType type) throws Exception {
        requireNative();
        BuiltInCa ca = BuiltInCa.open(settings(type, CryptoProviderChoice.ACCP), clock);
        assertEquals(CryptoProviderChoice.ACCP, ca.cryptoProviderChoice());
        assertEquals("AmazonCorrettoCryptoProvider", ca.signatureProvider().getName());
        assertSignaturesVerifyWithOpenSsl(ca);
    }

    @Test
    void bouncyCastleByConfiguration_signsInJava_opensslVerifies() throws Exception {
        BuiltInCa ca = BuiltInCa.open(settings(CaKeyType.EC_P256, CryptoProviderChoice.BOUNCY_CASTLE), clock);
        assertEquals(CryptoProviderChoice.BOUNCY_CASTLE, ca.cryptoProviderChoice());
        assertEquals("BC", ca.signatureProvider().getName());
        assertEquals("BC", ca.cryptoProvider().getName());
        assertSignaturesVerifyWithOpenSsl(ca);
    }

    @Test
    void auto_nativeAbsent_fallsBackToBouncyCastleAndStillSigns() throws Exception {
        BuiltInCa ca = BuiltInCa.open(settings(CaKeyType.EC_P256, CryptoProviderChoice.AUTO), clock, () -> ABSENT);
        assertEquals(CryptoProviderChoice.BOUNCY_CASTLE, ca.cryptoProviderChoice());
        assertEquals("BC", ca.signatureProvider().getName());
        assertSignaturesVerifyWithOpenSsl(ca);
    }

    @Test
    void resolve_auto_nativeAbsent_givesBouncyCastleAndTheReason() throws Exception {
        CryptoProviders.Resolved resolved = CryptoProviders.resolve(CryptoProviderChoice.AUTO, () -> ABSENT);
        assertEquals(CryptoProviderChoice.BOUNCY_CASTLE, resolved.choice());
        assertEquals("BC", resolved.provider().getName());
        assertTrue(resolved.fallbackReason().contains("simulated"), resolved.fallbackReason());
        assertTrue(resolved.describe().contains("fallback"), resolved.describe());
    }

    @Test
    void resolve_auto_nativeLoads_choosesIt() throws Exception {
        requireNative();
        CryptoProviders.Resolved resolved = CryptoProviders.resolve(CryptoProviderChoice.AUTO);
        assertEquals(CryptoProviderChoice.ACCP, resolved.choice());
        assertTrue(resolved.isNative());
        assertNull(resolved.fallbackReason());
    }

    @Test
    void accpRequired_nativeAbsent_caRefusesToStartWithTheReason() {
        CaStartupException e = assertThrows(CaStartupException.class,
                () -> BuiltInCa.open(settings(CaKeyType.EC_P256, CryptoProviderChoice.ACCP), clock, () -> ABSENT));
        assertEquals(CaStartupException.Reason.CRYPTO_PROVIDER_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("simulated"), e.getMessage());
    }

    @Test
    void settings_cryptoProviderDefaultsToAutoAndIsRequired() {
        assertEquals(CryptoProviderChoice.AUTO, Fixtures.settings(dir, CaKeyType.EC_P256).cryptoProvider());
        assertThrows(IllegalArgumentException.class, () -> settings(CaKeyType.EC_P256, null));
    }

    /** Issues two certificates, revokes one, publishes the CRL: openssl accepts the signatures and the revocation. */
    private void assertSignaturesVerifyWithOpenSsl(BuiltInCa ca) throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        store = JdbcCertificateStore.h2(dir.resolve("db"), clock);
        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());
        List<KeyPair> subjects = List.of(Fixtures.ecKey(), Fixtures.rsaKey());
        IssuedCertificate revoked = null;
        IssuedCertificate good = null;
        for (int i = 0; i < subjects.size(); i++) {
            IssuedCertificate issued = ca.sign(Fixtures.request(subjects.get(i).getPublic()));
            store.recordIssued(Fixtures.record(issued, "req-" + i), Optional.empty());
            Path pem = OpenSsl.writePem(dir.resolve("cert-" + i + ".pem"), "CERTIFICATE", issued.certificate());
            OpenSsl.Result verify = openSsl.verify(caPem, pem, "-purpose", "sslclient");
            assertEquals(0, verify.exitCode(), verify.output());
            if (i == 0) {
                revoked = issued;
            } else {
                good = issued;
            }
        }
        assertTrue(store.revoke(revoked.serial(), RevocationReason.KEY_COMPROMISE, clock.instant()));
        Path crlPem = OpenSsl.writePem(dir.resolve("crl.pem"), "X509 CRL", new CrlPublisher(ca, store, clock).currentCrl());
        String crlCheck = openSsl.runOk(null, "crl", "-CAfile", caPem.toString(), "-noout", "-in", crlPem.toString());
        assertTrue(crlCheck.contains("verify OK"), crlCheck);
        OpenSsl.Result refused = openSsl.verify(caPem, dir.resolve("cert-0.pem"), "-crl_check", "-CRLfile", crlPem.toString());
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("certificate revoked"), refused.output());
        OpenSsl.Result accepted = openSsl.verify(caPem, dir.resolve("cert-1.pem"), "-crl_check", "-CRLfile", crlPem.toString());
        assertEquals(0, accepted.exitCode(), accepted.output());
        assertNotEquals(null, good);
        // instances only: the JVM's provider list holds neither the chosen provider nor Bouncy Castle
        assertNull(Security.getProvider(ca.cryptoProvider().getName()));
        assertNull(Security.getProvider("BC"));
    }
}
