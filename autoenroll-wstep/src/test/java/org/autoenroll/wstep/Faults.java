package org.autoenroll.wstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.SoapElement;
import org.autoenroll.wstep.soap.SoapEnvelope;
import org.autoenroll.wstep.soap.SoapReader;

/** Assertions on the SOAP 1.2 faults of CES. */
public final class Faults {
    private Faults() {
    }

    /** A Receiver fault with our code in its reason and the HRESULT in its WSTEP detail; returns the detail. */
    public static SoapElement assertFault(SoapAnswer answer, ErrorCode code, int hresult, String relatesTo) throws Exception {
        assertEquals(500, answer.status(), () -> new String(answer.body(), StandardCharsets.UTF_8));
        SoapEnvelope envelope = new SoapReader().readEnvelope(answer.body());
        assertEquals(Envelopes.FAULT_ACTION, envelope.action().orElseThrow());
        assertEquals(relatesTo, envelope.header(Namespaces.WSA, "RelatesTo").map(SoapElement::trimmedText).orElse(null));
        SoapElement fault = envelope.body();
        assertTrue(fault.is(Namespaces.SOAP, "Fault"));
        assertEquals("s:Receiver", fault.child(Namespaces.SOAP, "Code").orElseThrow().childText(Namespaces.SOAP, "Value").orElseThrow());
        String reason = fault.child(Namespaces.SOAP, "Reason").orElseThrow().childText(Namespaces.SOAP, "Text").orElseThrow();
        assertTrue(reason.startsWith(code.name() + " (" + code.code() + ")"), reason);
        SoapElement detail = fault.child(Namespaces.SOAP, "Detail").orElseThrow()
                .child(Namespaces.WSTEP, "CertificateEnrollmentWSDetail").orElseThrow();
        assertEquals(hresult, Integer.parseInt(detail.childText(Namespaces.WSTEP, "ErrorCode").orElseThrow()));
        assertEquals(Boolean.toString(Hresults.invalidRequest(code)), detail.childText(Namespaces.WSTEP, "InvalidRequest").orElseThrow());
        return detail;
    }
}
