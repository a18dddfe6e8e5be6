package org.autoenroll.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SecretRef;
import org.autoenroll.core.EnrollmentRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sample: a directory that is not LDAP (an HR system's CSV export) behind the whole pipeline, with an error code of its own. */
class HrCsvDirectoryTest {
    private static final String CUSTOMER = "https://example.com/customer/main";

    @TempDir
    Path dir;
    Path csv;

    @BeforeEach
    void writeExport() throws Exception {
        csv = Files.writeString(dir.resolve("hr-export.csv"), """
                principal,cn,mail,upn,status
                alice@EXAMPLE.COM,Alice Example,alice@example.com,alice@example.com,active
                bob@EXAMPLE.COM,Bob Example,bob@example.com,bob@example.com,leave
                carol@EXAMPLE.COM,Carol Example,carol@example.com,carol@example.com,terminated
                """);
    }

    private EnrollmentRequest request(String email) throws Exception {
        return new EnrollmentRequest(CUSTOMER, "1", email, null, Samples.csr("CN=" + switch (email) {
            case "alice@example.com" -> "Alice Example";
            case "bob@example.com" -> "Bob Example";
            default -> "Carol Example";
        }), null);
    }

    private EmbedIn30LinesTest.Embedded embedded() throws Exception {
        Path password = Files.writeString(dir.resolve("ca-password"), "hr-sample-ca-password-3e1");
        return EmbedIn30LinesTest.embed(dir, HrCsvDirectoryLookup.read(csv), SecretRef.parse("file:" + password));
    }

    @Test
    void enroll_activeEmployee_issuedWithTheNamesFromHr() throws Exception {
        try (EmbedIn30LinesTest.Embedded embedded = embedded()) {
            var issued = embedded.service().enroll(AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null),
                    request("alice@example.com")).certificate().orElseThrow();
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(issued.certificate()));
            assertEquals("CN=Alice Example", certificate.getSubjectX500Principal().getName());
            assertTrue(certificate.getSubjectAlternativeNames().stream().anyMatch(n -> "alice@example.com".equals(n.get(1))));
        }
    }

    @Test
    void enroll_employeeOnLeave_refusedWithTheBackendsOwnCode1001() throws Exception {
        try (EmbedIn30LinesTest.Embedded embedded = embedded()) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> embedded.service().enroll(
                    AuthenticatedPrincipal.of("bob", "EXAMPLE.COM", null), request("bob@example.com")));
            assertEquals(1001, e.number());
            assertEquals(HrCsvDirectoryLookup.EMPLOYEE_ON_LEAVE, e.extension().orElseThrow());
            assertEquals(ErrorCode.ACCOUNT_DISABLED, e.code());
        }
    }

    @Test
    void enroll_terminatedEmployee_refusedWith17() throws Exception {
        try (EmbedIn30LinesTest.Embedded embedded = embedded()) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> embedded.service().enroll(
                    AuthenticatedPrincipal.of("carol", "EXAMPLE.COM", null), request("carol@example.com")));
            assertEquals(ErrorCode.NO_VALID_USER_IN_AD, e.code());
        }
    }

    @Test
    void read_malformedLine_namesIt() throws Exception {
        Files.writeString(csv, "principal,cn,mail,upn,status\nalice@EXAMPLE.COM,Alice,alice@example.com\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HrCsvDirectoryLookup.read(csv));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
