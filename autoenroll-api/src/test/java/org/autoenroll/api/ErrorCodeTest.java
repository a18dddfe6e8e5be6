package org.autoenroll.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorCodeTest {

    /** The seed guide's table, "8.1.1. Errors in Script Log", copied verbatim. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "1|No customer URI supplied..", "2|Customer invalid..", "3|Customer disabled..", "4|No matched domain..",
        "5|Domain unauthorized..", "6|Supplied orgid invalid..", "7|No organization found..",
        "8|No matched organization..", "9|Failed to find the AD Server..", "10|Windows domain mismatch..",
        "11|No suitable organization..", "12|No matched ADServer..", "13|Failed to get adserver or attributes..",
        "14|Failed to sync person..", "15|Invalid CSR..", "16|No valid Email in AD..",
        "17|No valid User Name in AD..", "18|Email in AD mismatch..", "19|User Name in AD mismatch..",
        "20|Person mismatch..", "21|Invalid status supplied..", "22|Unknown person for processStatus..",
        "23|Failed to process status..", "24|Invalid serial number supplied..", "25|Failed to get cert..",
        "26|No email supplied..", "27|Invalid remote user..", "28|'No synchronized person ..'",
        "29|No request supplied..", "30|Failed to enroll certificate..",
        "31|Open local certificate store error.", "32|User has no email address in AD.",
        "33|Create certificate request error.", "34|Certificate response timeout.",
        "35|Connect to certificate manager error.", "36|Certificate manager internal error.",
        "37|Authentication error.", "38|Request certificate error.", "39|Install certificate error.",
        "40|Wait sync response timeout.", "41|Not yet install the CCM security certificate.",
    })
    void catalogue_matchesSeedGuide(int code, String message) {
        ErrorCode error = ErrorCode.forCode(code).orElseThrow();
        assertEquals(message, error.message());
        assertFalse(error.hints().isEmpty(), "every code carries at least one operator hint");
        assertEquals(code <= 30 || code == 37, error.isServerSide(), "1-30 and 37 are answered by the server");
    }

    @Test
    void codes_areUniqueAndOwnCodesStartAt42() {
        Set<Integer> seen = new HashSet<>();
        for (ErrorCode error : ErrorCode.values()) {
            assertTrue(seen.add(error.code()), "duplicate code " + error.code());
            assertTrue(error.code() >= 1);
        }
        assertEquals(41, Arrays.stream(ErrorCode.values()).filter(e -> e.code() <= 41).count());
        assertTrue(Arrays.stream(ErrorCode.values()).filter(e -> e.code() > 41).allMatch(ErrorCode::isServerSide));
    }

    @Test
    void httpStatus_isAnErrorStatusForServerCodes_andRefusedForClientCodes() {
        for (ErrorCode error : ErrorCode.values()) {
            if (error == ErrorCode.APPROVAL_PENDING) {
                assertEquals(202, error.httpStatus(), "a pending request is accepted, not refused");
            } else if (error.isServerSide()) {
                assertTrue(error.httpStatus() >= 400 && error.httpStatus() < 600, error.name());
            } else {
                assertThrows(IllegalStateException.class, error::httpStatus);
            }
        }
        assertEquals(401, ErrorCode.AUTHENTICATION_ERROR.httpStatus());
        assertEquals(401, ErrorCode.AUTHENTICATION_REQUIRED.httpStatus());
        assertEquals(413, ErrorCode.REQUEST_TOO_LARGE.httpStatus());
    }

    @Test
    void forCode_unknownIsEmpty() {
        assertTrue(ErrorCode.forCode(0).isEmpty());
        assertTrue(ErrorCode.forCode(1000).isEmpty());
    }
}
