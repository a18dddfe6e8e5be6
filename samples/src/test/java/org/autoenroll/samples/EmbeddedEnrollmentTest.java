package org.autoenroll.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedEnrollmentTest {
    static final DirectoryEntry ALICE = DirectoryEntry.builder("CN=Alice Example,CN=Users,DC=example,DC=com", "alice")
            .userPrincipalName("alice@example.com").mail("alice@example.com").commonName("Alice Example").build();

    @Test
    void enroll_throughEmbeddedPipeline_issuesCertificateSignedByTheCa(@TempDir Path dir) throws Exception {
        try (EmbeddedEnrollment embedded = new EmbeddedEnrollment(dir, Map.of("alice@EXAMPLE.COM", ALICE))) {
            EnrollmentResult result = embedded.service().enroll(AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null),
                    new EnrollmentRequest(EmbeddedEnrollment.CUSTOMER, "1", "alice@example.com", null, csr(), null));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(result.certificate().orElseThrow().certificate()));
            certificate.verify(embedded.ca().caCertificate().getPublicKey());
            assertEquals(embedded.ca().caCertificate().getSubjectX500Principal(), certificate.getIssuerX500Principal());
        }
    }

    @Test
    void enroll_unknownPrincipal_isRefusedWith17(@TempDir Path dir) throws Exception {
        try (EmbeddedEnrollment embedded = new EmbeddedEnrollment(dir, Map.of("alice@EXAMPLE.COM", ALICE))) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> embedded.service().enroll(
                    AuthenticatedPrincipal.of("mallory", "EXAMPLE.COM", null),
                    new EnrollmentRequest(EmbeddedEnrollment.CUSTOMER, "1", "alice@example.com", null, csr(), null)));
            assertEquals(ErrorCode.NO_VALID_USER_IN_AD, e.code());
        }
    }

    private static String csr() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        var keyPair = generator.generateKeyPair();
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=Alice Example"), keyPair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(csr);
        }
        return out.toString();
    }
}
