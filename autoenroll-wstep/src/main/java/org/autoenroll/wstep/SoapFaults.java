package org.autoenroll.wstep;

import org.autoenroll.api.EnrollmentException;
import org.autoenroll.wstep.soap.MalformedSoapException;

/**
 * SOAP 1.2 faults for an embedding server that refuses a message before a service sees it
 * (message-level authentication: a missing or wrong UsernameToken, a client certificate that is
 * not ours). The same faults the services write: HTTP 500, our code in the reason, the HRESULT in
 * MS-WSTEP's detail. Stateless.
 */
public final class SoapFaults {
    private SoapFaults() {
    }

    /** A refusal with code and HRESULT, answering the message {@code relatesTo} (may be null). */
    public static SoapAnswer refusal(EnrollmentException e, String relatesTo) {
        return Envelopes.fault(e, relatesTo, true, null);
    }

    /** A message that could not be read. */
    public static SoapAnswer malformed(MalformedSoapException e) {
        return Envelopes.fault(e, null);
    }
}
