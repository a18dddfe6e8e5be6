package org.autoenroll.core.publication;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA (EC P-256) issuing user certificates with chosen validity, for tests. Not thread-safe. */
final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    final X509Certificate caCertificate;
    private final KeyPair caKeys;
    private final KeyPair userKeys;

    private TestCertificates(String caName) throws Exception {
        caKeys = keyPair();
        userKeys = keyPair();
        X500Principal subject = new X500Principal(caName);
        Instant now = Instant.now();
        caCertificate = sign(new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minusSeconds(86_400 * 365)), Date.from(now.plusSeconds(86_400 * 3650)), subject, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)));
    }

    /** A CA with this subject DN and a fresh key (two CAs of the same name differ in key). */
    static TestCertificates ca(String caName) throws Exception {
        return new TestCertificates(caName);
    }

    /** A user certificate valid from {@code notBefore} to {@code notAfter}. */
    X509Certificate issue(String cn, Instant notBefore, Instant notAfter) throws Exception {
        return sign(new JcaX509v3CertificateBuilder(caCertificate.getSubjectX500Principal(),
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                new X500Principal("CN=" + cn), userKeys.getPublic()));
    }

    byte[] issueDer(String cn, Instant notBefore, Instant notAfter) throws Exception {
        return issue(cn, notBefore, notAfter).getEncoded();
    }

    private X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
