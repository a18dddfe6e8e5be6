package org.autoenroll.wstep.soap;

/**
 * The XML namespaces of SOAP 1.2, WS-Addressing, WS-Security, WS-Trust, MS-XCEP and MS-WSTEP.
 * Elements are matched by namespace and local name, never by prefix: clients choose their own
 * prefixes ({@code s:}, {@code ns0:}, none).
 */
public final class Namespaces {
    public static final String SOAP = "http://www.w3.org/2003/05/soap-envelope";
    public static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String WSA = "http://www.w3.org/2005/08/addressing";
    public static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    public static final String XCEP = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy";
    public static final String WSTEP = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment";
    public static final String WST = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
    public static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    /** WS-Trust's AdditionalContext (WS-Federation auth namespace), where Windows names the template. */
    public static final String AUTH = "http://schemas.xmlsoap.org/ws/2006/12/authorization";
    public static final String XML = "http://www.w3.org/XML/1998/namespace";

    private Namespaces() {
    }
}
