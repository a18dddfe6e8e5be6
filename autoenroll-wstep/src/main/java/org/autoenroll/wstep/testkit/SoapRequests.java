package org.autoenroll.wstep.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.autoenroll.wstep.GetPoliciesRequest;
import org.autoenroll.wstep.RstRequest;

/**
 * SOAP messages shaped as real clients send them, for tests of a CEP/CES server: Windows'
 * certenroll (the examples of MS-XCEP 4 and MS-WSTEP 4: prefixes {@code s:} and {@code a:},
 * default namespaces on the body, ReplyTo, AdditionalContext) and cepces (Python ElementTree's
 * {@code ns0:}, {@code ns1:} prefixes, nil elements, an empty {@code wsu:Id}, base64 in 64-character
 * lines, an empty BinarySecurityToken in QueryTokenStatus). Stateless.
 */
public final class SoapRequests {
    /** Which client a message imitates. */
    public enum Style { WINDOWS, CEPCES }

    private static final String SOAP = "http://www.w3.org/2003/05/soap-envelope";
    private static final String WSA = "http://www.w3.org/2005/08/addressing";
    private static final String XCEP = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy";
    private static final String WSTEP = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment";
    private static final String WST = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
    private static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    private static final String PASSWORD_TEXT =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";

    private SoapRequests() {
    }

    /**
     * GetPolicies. Windows sends {@code lastUpdate} 0001-01-01T00:00:00 the first time; cepces
     * sends it nil.
     *
     * @param lastUpdate an xs:dateTime, or null for the client's first request
     */
    public static byte[] getPolicies(Style style, String messageId, String to, String lastUpdate) {
        if (style == Style.WINDOWS) {
            return utf8("<s:Envelope xmlns:a=\"" + WSA + "\" xmlns:s=\"" + SOAP + "\"><s:Header>"
                    + "<a:Action s:mustUnderstand=\"1\">" + GetPoliciesRequest.ACTION + "</a:Action>"
                    + "<a:MessageID>" + messageId + "</a:MessageID>"
                    + "<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>"
                    + "<a:To s:mustUnderstand=\"1\">" + to + "</a:To></s:Header>"
                    + "<s:Body xmlns:xsi=\"" + XSI + "\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">"
                    + "<GetPolicies xmlns=\"" + XCEP + "\"><client><lastUpdate>"
                    + (lastUpdate == null ? "0001-01-01T00:00:00" : lastUpdate) + "</lastUpdate>"
                    + "<preferredLanguage xsi:nil=\"true\"></preferredLanguage></client>"
                    + "<requestFilter xsi:nil=\"true\"></requestFilter></GetPolicies></s:Body></s:Envelope>");
        }
        return utf8("<ns0:Envelope xmlns:ns0=\"" + SOAP + "\" xmlns:ns1=\"" + WSA + "\" xmlns:ns2=\"" + XCEP
                + "\" xmlns:ns3=\"" + XSI + "\"><ns0:Header>"
                + "<ns1:Action ns0:mustUnderstand=\"1\">" + GetPoliciesRequest.ACTION + "</ns1:Action>"
                + "<ns1:MessageID>" + messageId + "</ns1:MessageID>"
                + "<ns1:To ns0:mustUnderstand=\"1\">" + to + "</ns1:To></ns0:Header><ns0:Body><ns2:GetPolicies><ns2:client>"
                + (lastUpdate == null ? "<ns2:lastUpdate ns3:nil=\"true\" />" : "<ns2:lastUpdate>" + lastUpdate + "</ns2:lastUpdate>")
                + "<ns2:preferredLanguage ns3:nil=\"true\" /></ns2:client><ns2:requestFilter>"
                + "<ns2:policyOIDs ns3:nil=\"true\" /><ns2:clientVersion ns3:nil=\"true\" />"
                + "<ns2:serverVersion ns3:nil=\"true\" /></ns2:requestFilter></ns2:GetPolicies></ns0:Body></ns0:Envelope>");
    }

    /**
     * RequestSecurityToken Issue (or Renew) with a token.
     *
     * @param valueType {@link RstRequest#PKCS10} or {@link RstRequest#PKCS7}
     * @param template the CertificateTemplate context item (Windows only), or null
     * @param security a {@code wsse:Security} header from {@link #usernameToken}, or null
     */
    public static byte[] requestSecurityToken(Style style, String messageId, String to, RstRequest.Type type,
                                              String valueType, byte[] token, String template, String security) {
        if (style == Style.WINDOWS) {
            return utf8("<s:Envelope xmlns:a=\"" + WSA + "\" xmlns:s=\"" + SOAP + "\"><s:Header>"
                    + "<a:Action s:mustUnderstand=\"1\">" + RstRequest.ACTION + "</a:Action>"
                    + "<a:MessageID>" + messageId + "</a:MessageID>"
                    + "<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>"
                    + "<a:To s:mustUnderstand=\"1\">" + to + "</a:To>" + (security == null ? "" : security) + "</s:Header>"
                    + "<s:Body><RequestSecurityToken PreferredLanguage=\"en-US\" xmlns=\"" + WST + "\">"
                    + "<TokenType>" + RstRequest.X509V3 + "</TokenType><RequestType>" + type.uri() + "</RequestType>"
                    + "<BinarySecurityToken ValueType=\"" + valueType + "\" EncodingType=\"" + WSTEP + "#base64Binary\" "
                    + "a:Id=\"\" xmlns:a=\"" + WSU + "\" xmlns=\"" + WSSE + "\">" + Base64.getEncoder().encodeToString(token)
                    + "</BinarySecurityToken>"
                    + "<AdditionalContext xmlns=\"http://schemas.xmlsoap.org/ws/2006/12/authorization\">"
                    + "<ContextItem Name=\"ccm\"><Value>ws01.example.com</Value></ContextItem>"
                    + (template == null ? "" : "<ContextItem Name=\"CertificateTemplate\"><Value>" + template + "</Value></ContextItem>")
                    + "</AdditionalContext></RequestSecurityToken></s:Body></s:Envelope>");
        }
        return utf8("<ns0:Envelope xmlns:ns0=\"" + SOAP + "\" xmlns:ns1=\"" + WSA + "\" xmlns:ns2=\"" + WST
                + "\" xmlns:ns3=\"" + WSSE + "\" xmlns:ns4=\"" + WSU + "\"><ns0:Header>"
                + "<ns1:Action ns0:mustUnderstand=\"1\">" + RstRequest.ACTION + "</ns1:Action>"
                + "<ns1:MessageID>" + messageId + "</ns1:MessageID>"
                + "<ns1:To ns0:mustUnderstand=\"1\">" + to + "</ns1:To>" + (security == null ? "" : security)
                + "</ns0:Header><ns0:Body><ns2:RequestSecurityToken>"
                + "<ns2:TokenType>" + RstRequest.X509V3 + "</ns2:TokenType><ns2:RequestType>" + type.uri() + "</ns2:RequestType>"
                + "<ns3:BinarySecurityToken ValueType=\"" + valueType + "\" EncodingType=\"" + WSSE + "#base64binary\" ns4:Id=\"\">"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(token)
                + "</ns3:BinarySecurityToken></ns2:RequestSecurityToken></ns0:Body></ns0:Envelope>");
    }

    /** QueryTokenStatus for a RequestID, with cepces' empty BinarySecurityToken in its style. */
    public static byte[] queryTokenStatus(Style style, String messageId, String to, String requestId) {
        if (style == Style.WINDOWS) {
            return utf8("<s:Envelope xmlns:a=\"" + WSA + "\" xmlns:s=\"" + SOAP + "\"><s:Header>"
                    + "<a:Action s:mustUnderstand=\"1\">" + RstRequest.ACTION + "</a:Action>"
                    + "<a:MessageID>" + messageId + "</a:MessageID><a:To s:mustUnderstand=\"1\">" + to + "</a:To></s:Header>"
                    + "<s:Body><RequestSecurityToken PreferredLanguage=\"en-US\" xmlns=\"" + WST + "\">"
                    + "<TokenType>" + RstRequest.X509V3 + "</TokenType>"
                    + "<RequestType>" + RstRequest.Type.QUERY_TOKEN_STATUS.uri() + "</RequestType>"
                    + "<RequestID xmlns=\"" + WSTEP + "\">" + requestId + "</RequestID>"
                    + "</RequestSecurityToken></s:Body></s:Envelope>");
        }
        return utf8("<ns0:Envelope xmlns:ns0=\"" + SOAP + "\" xmlns:ns1=\"" + WSA + "\" xmlns:ns2=\"" + WST
                + "\" xmlns:ns3=\"" + WSSE + "\" xmlns:ns4=\"" + WSU + "\" xmlns:ns5=\"" + WSTEP + "\"><ns0:Header>"
                + "<ns1:Action ns0:mustUnderstand=\"1\">" + RstRequest.ACTION + "</ns1:Action>"
                + "<ns1:MessageID>" + messageId + "</ns1:MessageID><ns1:To ns0:mustUnderstand=\"1\">" + to + "</ns1:To>"
                + "</ns0:Header><ns0:Body><ns2:RequestSecurityToken>"
                + "<ns2:TokenType>" + RstRequest.X509V3 + "</ns2:TokenType>"
                + "<ns2:RequestType>" + RstRequest.Type.QUERY_TOKEN_STATUS.uri() + "</ns2:RequestType>"
                + "<ns3:BinarySecurityToken ValueType=\"" + RstRequest.PKCS10 + "\" EncodingType=\"" + WSSE
                + "#base64binary\" ns4:Id=\"\" /><ns5:RequestID>" + requestId + "</ns5:RequestID>"
                + "</ns2:RequestSecurityToken></ns0:Body></ns0:Envelope>");
    }

    /**
     * A {@code wsse:Security} header with a UsernameToken (PasswordText, Nonce, Created), as
     * Windows sends it to a {@code _UsernamePassword} endpoint. Escapes the values.
     */
    public static String usernameToken(String user, String password, String created) {
        return "<o:Security s:mustUnderstand=\"1\" xmlns:s=\"" + SOAP + "\" xmlns:o=\"" + WSSE + "\">"
                + "<u:Timestamp u:Id=\"_0\" xmlns:u=\"" + WSU + "\"><u:Created>" + created + "</u:Created></u:Timestamp>"
                + "<o:UsernameToken u:Id=\"uuid-1\" xmlns:u=\"" + WSU + "\"><o:Username>" + escape(user) + "</o:Username>"
                + "<o:Password Type=\"" + PASSWORD_TEXT + "\">" + escape(password) + "</o:Password>"
                + "<o:Nonce>" + Base64.getEncoder().encodeToString(new byte[16]) + "</o:Nonce>"
                + "<u:Created>" + created + "</u:Created></o:UsernameToken></o:Security>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
