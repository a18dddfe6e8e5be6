package org.autoenroll.core.pipeline;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SigningRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A minimal signer for pipeline tests: the real CA and its certificate contents are tested in autoenroll-ca. */
final class TestSigner implements CertificateSigner {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private final KeyPair caKey;
    private final byte[] caCertificate;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** A faulty CA: certifies this key instead of the requested one (null: the requested one). */
    private java.security.PublicKey certifiedInstead;

    /** This signer, made faulty: it certifies {@code key} whatever was requested. */
    TestSigner certifyingInstead(java.security.PublicKey key) {
        this.certifiedInstead = key;
        return this;
    }

    @Override
    public boolean signsWithHeldKey() {
        return true;
    }

    TestSigner(Clock clock) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
        generator.initialize(256);
        this.caKey = generator.generateKeyPair();
        this.clock = clock;
        Instant now = clock.instant();
        this.caCertificate = new JcaX509v3CertificateBuilder(new X500Name("CN=Test CA"), BigInteger.ONE,
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86400 * 3650L)), new X500Name("CN=Test CA"),
                caKey.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(caKey.getPrivate())).getEncoded();
    }

    @Override
    public IssuedCertificate sign(SigningRequest request) {
        try {
            Instant now = clock.instant();
            Instant notAfter = now.plus(request.profile().validity());
            BigInteger serial = new BigInteger(159, random).setBit(158);
            X500Name subject = new X500Name("CN=" + request.commonName().replace(",", "\\,"));
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(new X500Name("CN=Test CA"), serial,
                    Date.from(now), Date.from(notAfter), subject,
                    certifiedInstead != null ? certifiedInstead : request.publicKey())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(caKey.getPrivate()));
            return new IssuedCertificate(serial, holder.getEncoded(), List.of(), subject.toString(), now, notAfter);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<byte[]> caChain() {
        return List.of(caCertificate.clone());
    }
}
