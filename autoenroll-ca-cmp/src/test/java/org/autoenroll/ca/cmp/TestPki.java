package org.autoenroll.ca.cmp;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Keys, a CA, certificates and CSRs made for a test, and their PEM files for openssl. */
final class TestPki {
    final KeyPair caKey = ecKey();
    final X509Certificate caCertificate;
    private long serial = 0x5000;

    TestPki(String caName) throws Exception {
        caCertificate = certificate(caName, caKey.getPublic(), caName, caKey, true, Duration.ofDays(30));
    }

    static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An end-entity certificate of this CA for {@code key}. */
    X509Certificate issue(String subject, PublicKey key) throws Exception {
        return certificate(subject, key, caCertificate.getSubjectX500Principal().getName(), caKey, false, Duration.ofDays(10));
    }

    X509Certificate certificate(String subject, PublicKey key, String issuer, KeyPair issuerKey, boolean ca,
                                Duration validity) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(serial++), Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)),
                new X500Name(subject), key);
        if (ca) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    static PKCS10CertificationRequest csr(String subject, KeyPair key) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    }

    static String pem(Object object) throws IOException {
        if (object instanceof java.security.PrivateKey key) { // PKCS#8, as openssl reads it
            return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    static Path write(Path dir, String name, Object object) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, pem(object));
        return file;
    }
}
