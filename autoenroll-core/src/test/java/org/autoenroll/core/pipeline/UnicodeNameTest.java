package org.autoenroll.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.Normalizer;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.csr.Csrs;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.junit.jupiter.api.Test;

/**
 * A CN in decomposed Unicode (NFD, as some clients send it) is the same name as the directory's
 * composed one (NFC): the request's commonName and the CSR's subject CN are compared in NFC
 * (issue 12, item 8). Built on {@link PipelineTest}'s tenants and service.
 */
class UnicodeNameTest {
    private static final String NFC = Normalizer.normalize("Jos\u00e9 N\u00fa\u00f1ez", Normalizer.Form.NFC);
    private static final String NFD = Normalizer.normalize(NFC, Normalizer.Form.NFD);

    @Test
    void enroll_commonNameAndCsrCnInNfd_matchTheDirectorysNfcName() throws Exception {
        DirectoryEntry jose = PipelineTest.entry("jose", "jose@example.com", NFC, false);
        DirectoryLookup lookup = (server, principal) -> {
            if (!"jose".equals(principal.name())) {
                throw new EnrollmentException(org.autoenroll.api.ErrorCode.NO_VALID_USER_IN_AD, "not found");
            }
            return jose;
        };
        PipelineTest pipeline = new PipelineTest();
        pipeline.setUp();
        var service = pipeline.service(lookup, new DefaultEnrollmentPolicy(PipelineTest.PROFILE));
        String csr = Csrs.rsa2048().subject("CN=" + NFD).email("jose@example.com").pem();

        EnrollmentResult result = service.enroll(PipelineTest.caller("jose"),
                PipelineTest.request(PipelineTest.CUST, "1", "jose@example.com", NFD, csr));

        assertEquals(EnrollmentResult.Status.ISSUED, result.status());
    }
}
