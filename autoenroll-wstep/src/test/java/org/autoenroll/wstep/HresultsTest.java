package org.autoenroll.wstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoenroll.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HresultsTest {
    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void of_everyCode_isAFailureHresult(ErrorCode code) {
        assertTrue(Hresults.of(code) < 0, code + " maps to a success HRESULT");
    }

    @Test
    void of_templateCodes_asAdCsAnswers() {
        assertEquals(0x80094012, Hresults.of(ErrorCode.TEMPLATE_DENIED));
        assertEquals(0x80094800, Hresults.of(ErrorCode.TEMPLATE_UNKNOWN));
        assertEquals(0x80094811, Hresults.of(ErrorCode.KEY_NOT_ALLOWED));
        assertEquals(0x80094002, Hresults.of(ErrorCode.REQUEST_NOT_FOUND));
        assertEquals(0x80094014, Hresults.of(ErrorCode.REQUEST_DENIED));
        assertEquals(0x80070005, Hresults.of(ErrorCode.AUTHENTICATION_ERROR));
    }

    @Test
    void invalidRequest_clientFaultsYes_serverFaultsNo() {
        assertTrue(Hresults.invalidRequest(ErrorCode.INVALID_CSR));
        assertTrue(Hresults.invalidRequest(ErrorCode.TEMPLATE_DENIED));
        assertEquals(false, Hresults.invalidRequest(ErrorCode.AD_UNAVAILABLE));
        assertEquals(false, Hresults.invalidRequest(ErrorCode.CERTIFICATE_ISSUANCE_FAILED));
    }
}
