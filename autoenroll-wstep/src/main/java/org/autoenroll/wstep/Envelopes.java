package org.autoenroll.wstep;

import java.util.function.Consumer;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.XmlWriter;

/**
 * Writes the SOAP 1.2 envelopes of answers and faults with their WS-Addressing headers: the
 * action, and {@code RelatesTo} echoing the request's MessageID. Faults are {@code s:Receiver}
 * for a refusal (as AD CS answers) with the {@code CertificateEnrollmentWSDetail} of MS-WSTEP
 * carrying the HRESULT, and {@code s:Sender} (or {@code VersionMismatch}, {@code MustUnderstand})
 * for a message that could not be read. The fault's reason carries our code, name, detail and
 * hints. Stateless.
 */
final class Envelopes {
    static final String FAULT_ACTION = "http://www.w3.org/2005/08/addressing/soap/fault";

    private Envelopes() {
    }

    /** A 200 answer whose body {@code body} writes; it may use prefixes s, a, xsi. */
    static SoapAnswer answer(String action, String relatesTo, Consumer<XmlWriter> body) {
        XmlWriter xml = open(action, relatesTo);
        body.accept(xml);
        return new SoapAnswer(200, xml.close().close().toBytes());
    }

    /** A refusal: s:Receiver, our code in the reason, the WSTEP detail when {@code wstepDetail}. */
    static SoapAnswer fault(EnrollmentException e, String relatesTo, boolean wstepDetail, String requestId) {
        XmlWriter xml = open(FAULT_ACTION, relatesTo);
        xml.open("s", "Fault");
        code(xml, "s:Receiver");
        reason(xml, reasonText(e));
        if (wstepDetail) {
            xml.open("s", "Detail");
            xml.open("", "CertificateEnrollmentWSDetail").namespace("", Namespaces.WSTEP);
            xml.nil("", "BinaryResponse");
            xml.leaf("", "ErrorCode", Integer.toString(Hresults.of(e.code())));
            xml.leaf("", "InvalidRequest", Boolean.toString(Hresults.invalidRequest(e.code())));
            if (requestId == null) {
                xml.nil("", "RequestID");
            } else {
                xml.leaf("", "RequestID", requestId);
            }
            xml.close().close();
        }
        xml.close();
        return new SoapAnswer(500, xml.close().close().toBytes());
    }

    /** A message that could not be read: s:Sender (or its own SOAP fault code), code 44. */
    static SoapAnswer fault(MalformedSoapException e, String relatesTo) {
        XmlWriter xml = open(FAULT_ACTION, relatesTo);
        xml.open("s", "Fault");
        code(xml, switch (e.faultCode()) {
            case VERSION_MISMATCH -> "s:VersionMismatch";
            case MUST_UNDERSTAND -> "s:MustUnderstand";
            case SENDER -> "s:Sender";
        });
        // the catalogue's hints for 44 speak of the JSON protocol: name the SOAP problem only
        ErrorCode code = ErrorCode.MALFORMED_REQUEST;
        reason(xml, code.name() + " (" + code.code() + "): " + code.message() + " " + e.getMessage());
        xml.close();
        return new SoapAnswer(500, xml.close().close().toBytes());
    }

    /** {@code NAME (code): message detail; hints: ...}, what a person reading the client's log needs. */
    static String reasonText(EnrollmentException e) {
        ErrorCode code = e.code();
        StringBuilder text = new StringBuilder().append(code.name()).append(" (").append(code.code()).append("): ")
                .append(code.message()).append(' ').append(e.detail());
        if (!code.hints().isEmpty()) {
            text.append(" Hints: ").append(String.join(" ", code.hints()));
        }
        return text.toString();
    }

    private static XmlWriter open(String action, String relatesTo) {
        XmlWriter xml = new XmlWriter();
        xml.open("s", "Envelope").namespace("s", Namespaces.SOAP).namespace("a", Namespaces.WSA)
                .namespace("xsi", Namespaces.XSI);
        xml.open("s", "Header");
        xml.open("a", "Action").attribute("s:mustUnderstand", "1").text(action).close();
        if (relatesTo != null) {
            xml.leaf("a", "RelatesTo", relatesTo);
        }
        xml.close();
        return xml.open("s", "Body");
    }

    private static void code(XmlWriter xml, String value) {
        xml.open("s", "Code").leaf("s", "Value", value).close();
    }

    private static void reason(XmlWriter xml, String text) {
        xml.open("s", "Reason").open("s", "Text").attribute("xml:lang", "en-US").text(text).close().close();
    }
}
