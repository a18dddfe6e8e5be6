package org.autoenroll.testkit;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SigningRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A minimal CA for testing the signer contract itself: it signs whatever key it is told to. */
final class SelfSignedCa {
    private final KeyPair key;
    private final X509Certificate certificate;
    private final AtomicLong serial = new AtomicLong(100);

    SelfSignedCa(KeyPair key) throws Exception {
        this.key = key;
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Kit CA"), BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(3650))), new X500Name("CN=Kit CA"),
                key.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    byte[] der() {
        try {
            return certificate.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    IssuedCertificate issue(SigningRequest request, PublicKey subjectKey) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Kit CA"),
                    BigInteger.valueOf(serial.incrementAndGet()), Date.from(now), Date.from(now.plus(Duration.ofDays(30))),
                    new X500Name("CN=" + request.commonName()), subjectKey);
            if (request.email().isPresent()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, request.email().get())));
            }
            X509Certificate issued = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
            return new IssuedCertificate(issued.getSerialNumber(), issued.getEncoded(), List.of(der()),
                    issued.getSubjectX500Principal().getName(), issued.getNotBefore().toInstant(),
                    issued.getNotAfter().toInstant());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
