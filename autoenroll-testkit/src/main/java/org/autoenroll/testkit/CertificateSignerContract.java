package org.autoenroll.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SigningRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline needs from every {@link CertificateSigner}: a checked request is signed (RSA
 * and EC keys alike), for the requested key and names, by the CA of {@link CertificateSigner#caChain()},
 * valid now, with a fresh serial, and the {@link IssuedCertificate} says exactly what the
 * certificate holds. Extend it with the signer under test:
 *
 * <pre>{@code
 * class MyCaSignerTest extends CertificateSignerContract {
 *     protected CertificateSigner signer() { return new MyCaSigner(testSettings()); }
 * }
 * }</pre>
 *
 * A signer for a CA that rewrites subjects can override {@link #expectedSubject}. Requests are
 * made with {@link #request}, a stand-in for the pipeline's checked request that only tests can
 * create.
 *
 * @since 0.1
 */
public abstract class CertificateSignerContract {
    /** The signer under test; called once per test. */
    protected abstract CertificateSigner signer() throws Exception;

    /** The profile requests ask for: the seed's user certificate (CN, e-mail, UPN, SID) unless overridden. */
    protected CertificateProfile profile() {
        return new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(30), false);
    }

    /** The subject a certificate for {@code request} must carry: {@code CN=<commonName>} unless overridden. */
    protected X500Principal expectedSubject(SigningRequest request) {
        return new X500Principal("CN=" + request.commonName().replace("\\", "\\\\").replace(",", "\\,"));
    }

    /** A checked request for {@code key}'s public key with a PKCS#10 signed by it, as the pipeline would hand it on. */
    protected final SigningRequest request(KeyPair key, String commonName, String email, String upn) throws Exception {
        String algorithm = key.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), key.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(key.getPrivate())).getEncoded();
        return new KitSigningRequest(UUID.randomUUID().toString(), csr, key.getPublic(), commonName,
                Optional.ofNullable(email), Optional.ofNullable(upn), Optional.empty(), List.of(), profile());
    }

    protected static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    protected static KeyPair rsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    @Test
    public void sign_ecKey_certificateCarriesTheRequestedKey() throws Exception {
        KeyPair key = ecKey();
        X509Certificate certificate = parse(signer().sign(request(key, "Alice Example", "alice@example.com",
                "alice@example.com")).certificate());
        assertArrayEquals(key.getPublic().getEncoded(), certificate.getPublicKey().getEncoded());
    }

    @Test
    public void sign_rsaKey_certificateCarriesTheRequestedKey() throws Exception {
        KeyPair key = rsaKey();
        X509Certificate certificate = parse(signer().sign(request(key, "Alice Example", "alice@example.com",
                "alice@example.com")).certificate());
        assertArrayEquals(key.getPublic().getEncoded(), certificate.getPublicKey().getEncoded());
    }

    @Test
    public void sign_validRequest_chainVerifies() throws Exception {
        CertificateSigner signer = signer();
        IssuedCertificate issued = signer.sign(request(ecKey(), "Alice Example", "alice@example.com", "alice@example.com"));
        assertFalse(issued.chain().isEmpty(), "an issued certificate comes with its CA chain");
        assertEquals(signer.caChain().size(), issued.chain().size());
        for (int i = 0; i < issued.chain().size(); i++) {
            assertArrayEquals(signer.caChain().get(i), issued.chain().get(i), "chain element " + i);
        }
        X509Certificate certificate = parse(issued.certificate());
        X509Certificate issuer = parse(issued.chain().get(0));
        assertEquals(issuer.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(issuer.getPublicKey());
        for (int i = 1; i < issued.chain().size(); i++) {
            parse(issued.chain().get(i - 1)).verify(parse(issued.chain().get(i)).getPublicKey());
        }
    }

    @Test
    public void sign_validRequest_namesAsAsked() throws Exception {
        SigningRequest request = request(ecKey(), "Alice Example", "alice@example.com", "alice@example.com");
        X509Certificate certificate = parse(signer().sign(request).certificate());
        assertEquals(expectedSubject(request), certificate.getSubjectX500Principal());
        if (request.profile().writes(org.autoenroll.api.SubjectName.EMAIL)) {
            List<String> rfc822 = new ArrayList<>();
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                names.stream().filter(n -> (Integer) n.get(0) == 1).forEach(n -> rfc822.add((String) n.get(1)));
            }
            assertEquals(List.of("alice@example.com"), rfc822, "the SAN's rfc822Name");
        }
    }

    @Test
    public void sign_validRequest_issuedCertificateDescribesTheCertificate() throws Exception {
        IssuedCertificate issued = signer().sign(request(ecKey(), "Alice Example", "alice@example.com", "alice@example.com"));
        X509Certificate certificate = parse(issued.certificate());
        assertEquals(certificate.getSerialNumber(), issued.serial());
        assertEquals(certificate.getNotBefore().toInstant(), issued.notBefore());
        assertEquals(certificate.getNotAfter().toInstant(), issued.notAfter());
        assertEquals(certificate.getSubjectX500Principal(), new X500Principal(issued.subject()));
    }

    @Test
    public void sign_validRequest_validNowAndNotLongerThanTheProfile() throws Exception {
        IssuedCertificate issued = signer().sign(request(ecKey(), "Alice Example", "alice@example.com", "alice@example.com"));
        Instant now = Instant.now();
        assertTrue(!issued.notBefore().isAfter(now.plus(Duration.ofMinutes(5))), "notBefore " + issued.notBefore());
        assertTrue(issued.notAfter().isAfter(now), "notAfter " + issued.notAfter());
        assertTrue(!issued.notAfter().isAfter(now.plus(profile().validity()).plus(Duration.ofMinutes(5))),
                "validity beyond the profile's: notAfter " + issued.notAfter());
    }

    @Test
    public void sign_twoRequests_distinctPositiveSerials() throws Exception {
        CertificateSigner signer = signer();
        IssuedCertificate first = signer.sign(request(ecKey(), "Alice Example", "alice@example.com", "alice@example.com"));
        IssuedCertificate second = signer.sign(request(ecKey(), "Bob Example", "bob@example.com", "bob@example.com"));
        assertTrue(first.serial().signum() > 0 && second.serial().signum() > 0, "serials are positive (RFC 5280)");
        assertNotEquals(first.serial(), second.serial());
    }
}
