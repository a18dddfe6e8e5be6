package org.autoenroll.kerberos;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.autoenroll.api.EnrollmentException;

/**
 * Jazzer fuzz test of the PAC parser and checks ({@link Pac#verify}): whatever the bytes, only
 * an EnrollmentException may escape. The seed is the Windows PAC of {@link PacTest} (MIT krb5's
 * t_pac.c vector) with its own key, client and authtime, so mutations reach every check. In a
 * normal build it runs the seeds only; {@code JAZZER_FUZZ=1 mvn test -Dtest=PacFuzzTest} fuzzes.
 */
class PacFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void verify_anyBytes_onlyEnrollmentException(byte[] pac) {
        try {
            Pac.verify(pac, PacTest.WINDOWS_MEMBER_KEY, "w2003final$", "WIN2K3.THINKER.LOCAL", PacTest.WINDOWS_AUTHTIME);
        } catch (EnrollmentException expected) {
            // refused: fine
        }
    }
}
