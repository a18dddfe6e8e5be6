package org.autoenroll.ca.cmp;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;

/**
 * Jazzer fuzz test of the CMP answer parsing, which reads what a CA (or anyone on the path) sends:
 * any bytes end in an answer or a {@link CmpFailure}, never in another exception. Without
 * JAZZER_FUZZ=1 it runs the seeds in {@code src/test/resources/org/autoenroll/ca/cmp/CmpAnswerFuzzTestInputs/}
 * (answers captured from openssl's CMP mock server).
 */
class CmpAnswerFuzzTest {
    private static final byte[] TRANSACTION = new byte[16];
    private static final byte[] NONCE = new byte[16];

    @FuzzTest(maxDuration = "30s")
    void answer_anyBytes_onlyCmpFailure(byte[] data) {
        try {
            CmpMessages.parse(data, TRANSACTION, NONCE);
        } catch (CmpFailure expected) {
            assertNotNull(expected.getMessage());
        }
        // the body is read only after the header checks pass; reach it whatever the header says
        ProtectedPKIMessage answer;
        try {
            GeneralPKIMessage message = new GeneralPKIMessage(data);
            if (!message.hasProtection()) {
                return;
            }
            answer = new ProtectedPKIMessage(message);
        } catch (Exception notAMessage) {
            return;
        }
        try {
            CertResponse response = CmpMessages.grantedResponse(answer);
            CmpMessages.certificate(response);
        } catch (CmpFailure expected) {
            assertNotNull(expected.getMessage());
        }
    }
}
