package org.autoenroll.core.csr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Random;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/**
 * The key's cheap properties are checked before any signature or primality work: a hostile request
 * is refused by its size, exponent or curve, whatever its signature. The detail tells which check
 * refused it, which is what these tests look at (the code alone is 15 either way).
 */
class CsrKeyCostTest {
    private final CsrChecker checker = new CsrChecker();

    /** A CSR whose key is RSA (n, e) and whose signature is random bytes: it can never verify. */
    private static String unsignedRsa(BigInteger modulus, BigInteger exponent) throws Exception {
        SubjectPublicKeyInfo key = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                new RSAPublicKey(modulus, exponent));
        CertificationRequestInfo info = new CertificationRequestInfo(new X500Name("CN=Alice Example"), key, new DERSet());
        byte[] signature = new byte[(modulus.bitLength() + 7) / 8];
        new Random(7).nextBytes(signature);
        CertificationRequest request = new CertificationRequest(info,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE), new DERBitString(signature));
        return Csrs.pem(new PKCS10CertificationRequest(request));
    }

    private static BigInteger oddOfBits(int bits, long seed) {
        return new BigInteger(bits, new Random(seed)).setBit(bits - 1).setBit(0);
    }

    private String refusal(String pem) {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> checker.check(pem, CsrCheckerTest.ALICE));
        assertEquals(ErrorCode.INVALID_CSR, e.code());
        return e.detail();
    }

    @Test
    void check_rsa16384WithHugeExponent_isRefusedForItsSizeBeforeTheSignature() throws Exception {
        String detail = refusal(unsignedRsa(oddOfBits(16384, 1), oddOfBits(16384, 2)));
        assertTrue(detail.contains("16384 bits") && detail.contains("8192"), detail);
    }

    @Test
    void check_rsa8192WithHugeExponent_isRefusedForItsExponentBeforeTheSignature() throws Exception {
        String detail = refusal(unsignedRsa(oddOfBits(8192, 3), oddOfBits(8192, 4)));
        assertTrue(detail.contains("exponent"), detail);
    }

    @Test
    void check_validlySignedRsaWithExponent3_isRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", new BouncyCastleProvider());
        generator.initialize(new RSAKeyGenParameterSpec(2048, BigInteger.valueOf(3)));
        KeyPair keyPair = generator.generateKeyPair();
        String detail = refusal(Csrs.with(keyPair, "SHA256withRSA").pem());
        assertTrue(detail.contains("exponent"), detail);
    }

    @Test
    void check_rsaOverTheCap_isRefusedWhateverItsExponent() throws Exception {
        String detail = refusal(unsignedRsa(oddOfBits(8192 + 8, 5), BigInteger.valueOf(65537)));
        assertTrue(detail.contains("bits"), detail);
    }
}
