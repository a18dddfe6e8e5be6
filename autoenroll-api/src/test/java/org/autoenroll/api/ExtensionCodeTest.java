package org.autoenroll.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ExtensionCodeTest {
    static final ExtensionCode ON_LEAVE = ExtensionCode.of(1001, "EMPLOYEE_ON_LEAVE", "Employee on leave..",
            ErrorCode.ACCOUNT_DISABLED, "HR marks the employee as on leave.");

    @Test
    void of_validCode_takesTheRefinedCodesHttpStatus() {
        assertEquals(1001, ON_LEAVE.number());
        assertEquals("EMPLOYEE_ON_LEAVE", ON_LEAVE.name());
        assertEquals(ErrorCode.ACCOUNT_DISABLED, ON_LEAVE.refines());
        assertEquals(403, ON_LEAVE.httpStatus());
        assertEquals(List.of("HR marks the employee as on leave."), ON_LEAVE.hints());
        assertEquals(409, ON_LEAVE.withHttpStatus(409).httpStatus());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 25, 57, 999, 2000, -1001, Integer.MAX_VALUE})
    void of_numberOutsideTheIntegratorsRange_refused(int number) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExtensionCode.of(number, "MY_CODE", "My code..", ErrorCode.ENROLLMENT_FAILED));
        assertTrue(e.getMessage().contains("1000-1999"), e.getMessage());
    }

    @Test
    void of_rangeEdges_accepted() {
        assertEquals(1000, ExtensionCode.of(1000, "FIRST_CODE", "First..", ErrorCode.ENROLLMENT_FAILED).number());
        assertEquals(1999, ExtensionCode.of(1999, "LAST_CODE", "Last..", ErrorCode.ENROLLMENT_FAILED).number());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lower_case", "X", "1ABC", "WITH SPACE", "INVALID_CSR", "EMAIL-DASH"})
    void of_badOrCatalogueName_refused(String name) {
        assertThrows(IllegalArgumentException.class, () -> ExtensionCode.of(1001, name, "Message..", ErrorCode.INVALID_CSR));
    }

    @Test
    void of_refinesAClientSideCode_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> ExtensionCode.of(1001, "MY_CODE", "My code..", ErrorCode.CONNECT_FAILED));
    }

    @Test
    void of_blankMessageOrHintWithControlCharacters_refused() {
        assertThrows(IllegalArgumentException.class, () -> ExtensionCode.of(1001, "MY_CODE", " ", ErrorCode.INVALID_CSR));
        assertThrows(IllegalArgumentException.class,
                () -> ExtensionCode.of(1001, "MY_CODE", "Msg..", ErrorCode.INVALID_CSR, "line\nbreak"));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 302, 399, 600})
    void withHttpStatus_notAnErrorStatus_refused(int status) {
        assertThrows(IllegalArgumentException.class, () -> ON_LEAVE.withHttpStatus(status));
    }

    @Test
    void enrollmentException_withExtension_codeIsTheRefinedOneAndTheRestTheExtensions() {
        EnrollmentException e = new EnrollmentException(ON_LEAVE, "on leave until 2026-04-01");
        assertEquals(ErrorCode.ACCOUNT_DISABLED, e.code());
        assertEquals(ON_LEAVE, e.extension().orElseThrow());
        assertEquals(1001, e.number());
        assertEquals("EMPLOYEE_ON_LEAVE", e.codeName());
        assertEquals("Employee on leave..", e.codeMessage());
        assertEquals(ON_LEAVE.hints(), e.hints());
        assertEquals(403, e.httpStatus());
        assertEquals("EMPLOYEE_ON_LEAVE (1001): on leave until 2026-04-01", e.getMessage());
    }

    @Test
    void enrollmentException_withCatalogueCode_unchanged() {
        EnrollmentException e = new EnrollmentException(ErrorCode.INVALID_CSR, "bad signature");
        assertTrue(e.extension().isEmpty());
        assertEquals(15, e.number());
        assertEquals("INVALID_CSR", e.codeName());
        assertEquals(ErrorCode.INVALID_CSR.message(), e.codeMessage());
        assertEquals(400, e.httpStatus());
        assertEquals(ErrorCode.INVALID_CSR.hints(), e.hints());
    }
}
