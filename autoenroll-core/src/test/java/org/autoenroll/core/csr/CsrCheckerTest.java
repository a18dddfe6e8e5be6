package org.autoenroll.core.csr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CsrCheckerTest {
    static final DirectoryEntry ALICE = DirectoryEntry.builder("CN=Alice Example,CN=Users,DC=example,DC=com", "alice")
            .userPrincipalName("alice@example.com").mail("alice@example.com").smtpAddresses(List.of("a.example@example.com"))
            .commonName("Alice Example").build();

    private final CsrChecker checker = new CsrChecker();

    private static int codeOf(String pem) {
        return assertThrows(EnrollmentException.class, () -> new CsrChecker().check(pem, ALICE)).code().code();
    }

    @Test
    void check_rsa2048WithOwnNames_isAccepted() throws EnrollmentException {
        CheckedCsr checked = checker.check(Csrs.rsa2048().subject("CN=Alice Example,O=Example")
                .email("alice@example.com").email("A.Example@example.com").upn("alice@example.com").pem(), ALICE);
        assertEquals("RSA 2048", checked.keyDescription());
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void check_nistCurves_areAccepted(String curve) throws EnrollmentException {
        checker.check(Csrs.ec(curve).subject("CN=alice").pem(), ALICE);
    }

    @Test
    void check_emptySubject_isAccepted() throws EnrollmentException {
        checker.check(Csrs.rsa2048().subject("").pem(), ALICE);
    }

    static Stream<String> refusedCsrs() {
        return Stream.of(
                Csrs.rsa(1024, "SHA256withRSA").pem(),
                Csrs.ec("secp256k1").pem(),
                sha1Signed(),
                Csrs.rsa2048().subject("CN=Mallory").pem(),
                Csrs.rsa2048().subject("CN=Alice Example,E=bob@example.com").pem(),
                Csrs.rsa2048().subject("CN=Alice Example,SERIALNUMBER=1").pem(),
                Csrs.rsa2048().email("bob@example.com").pem(),
                Csrs.rsa2048().dns("www.example.com").pem(),
                Csrs.rsa2048().upn("bob@example.com").pem(),
                tamperedSignature(),
                "not a csr",
                "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                "-----BEGIN CERTIFICATE REQUEST-----\n" + "A".repeat(CsrChecker.MAX_PEM_CHARS) + "\n-----END CERTIFICATE REQUEST-----\n");
    }

    private static String sha1Signed() {
        return Csrs.rsa(2048, "SHA1withRSA").pem();
    }

    private static String tamperedSignature() {
        byte[] der = encoded(Csrs.rsa2048().build());
        der[der.length - 5] ^= 0x01;
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private static byte[] encoded(PKCS10CertificationRequest csr) {
        try {
            return csr.getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("refusedCsrs")
    void check_weakForeignOrBrokenCsr_isInvalidCsr(String pem) {
        assertEquals(ErrorCode.INVALID_CSR.code(), codeOf(pem));
    }

    /** Property: every truncation and every single-byte corruption of a good CSR is refused with 15 and nothing else. */
    static IntStream cutPoints() {
        return IntStream.range(0, 60).map(i -> i * 17);
    }

    @ParameterizedTest
    @MethodSource("cutPoints")
    void check_truncatedDer_isInvalidCsr(int cut) {
        byte[] der = encoded(Csrs.rsa2048().email("alice@example.com").build());
        byte[] truncated = java.util.Arrays.copyOf(der, Math.min(cut, der.length - 1));
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(truncated)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        assertEquals(ErrorCode.INVALID_CSR.code(), codeOf(pem));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void check_randomByteCorruption_isRefusedOrStillOwnNames(long seed) {
        byte[] der = encoded(Csrs.rsa2048().email("alice@example.com").build());
        Random random = new Random(seed);
        int position = random.nextInt(der.length);
        der[position] = (byte) (der[position] ^ (1 + random.nextInt(255)));
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        // A corrupted CSR can never verify: the signature covers every byte but the signature itself.
        assertEquals(ErrorCode.INVALID_CSR.code(), codeOf(pem));
    }
}
