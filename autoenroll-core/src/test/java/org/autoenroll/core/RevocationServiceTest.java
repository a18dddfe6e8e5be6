package org.autoenroll.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RevocationReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RevocationServiceTest {
    @ParameterizedTest
    @CsvSource({"keyCompromise,KEY_COMPROMISE", "KEY_COMPROMISE,KEY_COMPROMISE", "key-compromise,KEY_COMPROMISE",
        "superseded,SUPERSEDED", "cessationOfOperation,CESSATION_OF_OPERATION", "unspecified,UNSPECIFIED",
        "certificateHold,CERTIFICATE_HOLD", "privilegeWithdrawn,PRIVILEGE_WITHDRAWN"})
    void parseReason_rfc5280OrEnumNames_areAccepted(String name, RevocationReason expected) throws EnrollmentException {
        assertEquals(expected, RevocationService.parseReason(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "removeFromCRL", "compromised", "4", "keyCompromise; DROP TABLE"})
    void parseReason_otherNames_areRefusedWith47(String name) {
        assertEquals(ErrorCode.INVALID_REVOCATION_REASON,
                assertThrows(EnrollmentException.class, () -> RevocationService.parseReason(name)).code());
    }
}
