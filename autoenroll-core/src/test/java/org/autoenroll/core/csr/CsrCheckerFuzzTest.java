package org.autoenroll.core.csr;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * The CSR is outside input: whatever bytes arrive, the checker answers with a checked CSR or
 * {@link ErrorCode#INVALID_CSR}, and nothing else escapes. Runs its seeds in every build; run
 * {@code JAZZER_FUZZ=1 mvn test -pl autoenroll-core -Dtest=CsrCheckerFuzzTest} to fuzz.
 */
class CsrCheckerFuzzTest {
    private static final CsrChecker CHECKER = new CsrChecker();

    @FuzzTest(maxDuration = "30s")
    void check_anyInput_answersOnlyInvalidCsr(FuzzedDataProvider data) {
        boolean asPem = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        String pem = asPem
                ? "-----BEGIN CERTIFICATE REQUEST-----\n" + java.util.Base64.getMimeEncoder().encodeToString(bytes)
                        + "\n-----END CERTIFICATE REQUEST-----\n"
                : new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            CHECKER.check(pem, CsrCheckerTest.ALICE);
        } catch (EnrollmentException e) {
            if (e.code() != ErrorCode.INVALID_CSR) {
                throw new AssertionError("unexpected code " + e.code(), e);
            }
        }
    }
}
