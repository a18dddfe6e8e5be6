package org.autoenroll.core.csr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.security.Provider;
import java.security.Security;
import java.util.Base64;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CSR verification with a provider instance the embedder passes (here SunEC, looked up, never
 * registered): it decodes and verifies what it offers, Bouncy Castle the rest (RSA keys for SunEC,
 * RSASSA-PSS); a bad signature is refused alike. And the plain-PEM fast path reads exactly what
 * PEMParser reads, leaving every other form to PEMParser.
 */
class CsrCheckerProviderTest {
    private static final Provider SUN_EC = Security.getProvider("SunEC");

    @Test
    void ecCsr_verifiedAndDecodedByTheGivenProvider() throws Exception {
        CheckedCsr checked = new CsrChecker(SUN_EC).check(Csrs.ec("secp256r1").subject("CN=alice").pem(), CsrCheckerTest.ALICE);
        assertTrue(checked.publicKey().getClass().getName().startsWith("sun.security.ec."),
                checked.publicKey().getClass().getName());
        assertEquals("EC", checked.key().algorithm());
    }

    @Test
    void ecCsr_badSignature_refusedWith15ByTheGivenProvider() throws Exception {
        byte[] der = Csrs.ec("secp256r1").subject("CN=alice").build().getEncoded();
        der[der.length - 3] ^= 0x01; // inside the ECDSA signature's s
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> new CsrChecker(SUN_EC).check(pem, CsrCheckerTest.ALICE));
        assertEquals(ErrorCode.INVALID_CSR, e.code());
    }

    @Test
    void rsaCsr_providerWithoutRsa_bouncyCastleVerifies() throws Exception {
        CheckedCsr checked = new CsrChecker(SUN_EC).check(Csrs.rsa2048().subject("CN=alice").pem(), CsrCheckerTest.ALICE);
        assertEquals("RSA", checked.key().algorithm());
    }

    @Test
    void rsaPssCsr_verifiedByBouncyCastleWhateverTheProvider() throws Exception {
        new CsrChecker(SUN_EC).check(Csrs.rsa(2048, "SHA256withRSAandMGF1").subject("CN=alice").pem(), CsrCheckerTest.ALICE);
        assertNull(Security.getProvider("BC"), "nothing registers Bouncy Castle globally");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "crlf", "leadingBlankLines", "newCertificateRequest", "trailingText"})
    void plainPem_readsWhatPemParserReads(String form) throws Exception {
        String pem = variant(form);
        PKCS10CertificationRequest fast = PlainPem.csr(pem);
        assertNotNull(fast, form);
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            assertArrayEquals(((PKCS10CertificationRequest) parser.readObject()).getEncoded(), fast.getEncoded(), form);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"textBefore", "headerLine", "certificateType", "noEnd", "badBase64"})
    void plainPem_otherForms_leftToPemParser(String form) throws Exception {
        assertNull(PlainPem.csr(variant(form)), form);
    }

    @Test
    void textBeforeTheBlock_stillAcceptedThroughPemParser() throws Exception {
        new CsrChecker().check(variant("textBefore"), CsrCheckerTest.ALICE);
    }

    private static String variant(String form) throws Exception {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(Csrs.ec("secp256r1").subject("CN=alice").build().getEncoded());
        String block = "-----BEGIN CERTIFICATE REQUEST-----\n" + body + "\n-----END CERTIFICATE REQUEST-----\n";
        switch (form) {
            case "plain": return block;
            case "crlf": return block.replace("\n", "\r\n");
            case "leadingBlankLines": return "\n \n" + block;
            case "newCertificateRequest": return block.replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
            case "trailingText": return block + "trailing words\n";
            case "textBefore": return "Certificate request for alice\n" + block;
            case "headerLine": return block.replace("-----\n", "-----\nComment: alice\n\n").replace("-----END", "-----END");
            case "certificateType": return block.replace("CERTIFICATE REQUEST", "CERTIFICATE");
            case "noEnd": return block.substring(0, block.indexOf("-----END"));
            case "badBase64": return block.replace("\n-----END", "*\n-----END");
            default: throw new IllegalArgumentException(form);
        }
    }
}
