package org.autoenroll.wstep.soap;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A SOAP 1.2 message as read: its header blocks and the one element of its body. Refuses other
 * SOAP versions ({@code VersionMismatch}) and a header block it must understand but does not
 * ({@code MustUnderstand}): only WS-Addressing headers and {@code wsse:Security} are understood.
 * Immutable and thread-safe.
 */
public final class SoapEnvelope {
    private static final Set<String> UNDERSTOOD = Set.of(Namespaces.WSA);

    private final List<SoapElement> headers;
    private final SoapElement body;

    private SoapEnvelope(List<SoapElement> headers, SoapElement body) {
        this.headers = headers;
        this.body = body;
    }

    static SoapEnvelope of(SoapElement root) throws MalformedSoapException {
        if (root.is(Namespaces.SOAP11, "Envelope")) {
            throw new MalformedSoapException(MalformedSoapException.FaultCode.VERSION_MISMATCH, "only SOAP 1.2 is spoken here");
        }
        if (!root.is(Namespaces.SOAP, "Envelope")) {
            throw new MalformedSoapException("the root element is not a SOAP 1.2 Envelope");
        }
        List<SoapElement> headers = List.of();
        SoapElement bodyElement = null;
        for (SoapElement child : root.children()) {
            if (child.is(Namespaces.SOAP, "Header") && bodyElement == null && headers.isEmpty()) {
                headers = child.children();
            } else if (child.is(Namespaces.SOAP, "Body") && bodyElement == null) {
                bodyElement = child;
            } else {
                throw new MalformedSoapException("unexpected element " + child.localName() + " in the Envelope");
            }
        }
        if (bodyElement == null) {
            throw new MalformedSoapException("the Envelope has no Body");
        }
        if (bodyElement.children().size() != 1) {
            throw new MalformedSoapException("the Body must hold exactly one element");
        }
        for (SoapElement header : headers) {
            boolean mustUnderstand = header.attribute(Namespaces.SOAP, "mustUnderstand")
                    .map(v -> v.strip().equals("1") || v.strip().equals("true")).orElse(false);
            boolean understood = UNDERSTOOD.contains(header.namespace()) || header.is(Namespaces.WSSE, "Security");
            if (mustUnderstand && !understood) {
                throw new MalformedSoapException(MalformedSoapException.FaultCode.MUST_UNDERSTAND,
                        "header " + header.localName() + " must be understood but is not");
            }
        }
        return new SoapEnvelope(List.copyOf(headers), bodyElement.children().get(0));
    }

    public List<SoapElement> headers() {
        return headers;
    }

    public Optional<SoapElement> header(String ns, String local) {
        return headers.stream().filter(h -> h.is(ns, local)).findFirst();
    }

    /** {@code wsa:Action}, the operation the client asks for. */
    public Optional<String> action() {
        return header(Namespaces.WSA, "Action").map(SoapElement::trimmedText);
    }

    /** {@code wsa:MessageID}, echoed in the answer's {@code RelatesTo}. */
    public Optional<String> messageId() {
        return header(Namespaces.WSA, "MessageID").map(SoapElement::trimmedText).filter(s -> !s.isEmpty());
    }

    /** The body's one element: the operation ({@code GetPolicies}, {@code RequestSecurityToken}). */
    public SoapElement body() {
        return body;
    }
}
