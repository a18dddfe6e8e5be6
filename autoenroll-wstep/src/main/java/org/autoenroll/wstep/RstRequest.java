package org.autoenroll.wstep;

import java.util.Base64;
import java.util.Optional;
import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.SoapElement;
import org.autoenroll.wstep.soap.SoapEnvelope;

/**
 * An MS-WSTEP RequestSecurityToken as read (3.1.4.1.1.1): Issue or Renew with a PKCS#10 or
 * PKCS#7/CMC in the BinarySecurityToken, or QueryTokenStatus with a RequestID. The template, if
 * the client names it outside the CSR, comes from {@code AdditionalContext/ContextItem
 * Name="CertificateTemplate"} (as Windows sends it).
 *
 * @param messageId the WS-Addressing MessageID, echoed in RelatesTo
 * @param type what the client asks
 * @param tokenValueType the BinarySecurityToken's ValueType (Issue, Renew)
 * @param token the decoded token bytes (Issue, Renew); empty for a query
 * @param template the CertificateTemplate context item, if any
 * @param requestId the wire RequestID (QueryTokenStatus)
 */
public record RstRequest(String messageId, Type type, String tokenValueType, byte[] token, Optional<String> template,
                         Optional<Long> requestId) {
    public static final String ACTION = Namespaces.WSTEP + "/RST/wstep";
    public static final String RESPONSE_ACTION = Namespaces.WSTEP + "/RSTRC/wstep";
    public static final String X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
    public static final String PKCS10 = Namespaces.WSTEP + "#PKCS10";
    public static final String PKCS7 = Namespaces.WSTEP + "#PKCS7";
    private static final int MAX_TEMPLATE_CHARS = 256;

    /** The RequestType values of MS-WSTEP 3.1.4.1.2.7 this service answers. */
    public enum Type {
        ISSUE(Namespaces.WST + "/Issue"),
        RENEW(Namespaces.WST + "/Renew"),
        QUERY_TOKEN_STATUS(Namespaces.WSTEP + "/QueryTokenStatus");

        private final String uri;

        Type(String uri) {
            this.uri = uri;
        }

        public String uri() {
            return uri;
        }

        static Optional<Type> of(String uri) {
            for (Type type : values()) {
                if (type.uri.equals(uri)) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    public RstRequest {
        token = token.clone();
    }

    @Override
    public byte[] token() {
        return token.clone();
    }

    /** Reads the request; any deviation from MS-WSTEP that we cannot answer is malformed. */
    public static RstRequest read(SoapEnvelope envelope) throws MalformedSoapException {
        String action = envelope.action().orElseThrow(() -> new MalformedSoapException("the message has no wsa:Action"));
        if (!action.equals(ACTION)) {
            throw new MalformedSoapException("this endpoint answers RequestSecurityToken (RST/wstep) only");
        }
        SoapElement rst = envelope.body();
        if (!rst.is(Namespaces.WST, "RequestSecurityToken")) {
            throw new MalformedSoapException("the Body holds no wst:RequestSecurityToken");
        }
        Optional<String> tokenType = rst.childText(Namespaces.WST, "TokenType");
        if (tokenType.isPresent() && !tokenType.get().equals(X509V3)) {
            throw new MalformedSoapException("only X.509v3 tokens are issued here");
        }
        String requestTypeUri = rst.childText(Namespaces.WST, "RequestType")
                .orElseThrow(() -> new MalformedSoapException("RequestSecurityToken has no RequestType"));
        Type type = Type.of(requestTypeUri)
                .orElseThrow(() -> new MalformedSoapException("RequestType must be Issue, Renew or QueryTokenStatus"));
        String messageId = envelope.messageId().orElse(null);
        if (type == Type.QUERY_TOKEN_STATUS) {
            String id = rst.childText(Namespaces.WSTEP, "RequestID")
                    .orElseThrow(() -> new MalformedSoapException("QueryTokenStatus needs a RequestID"));
            if (!id.matches("[0-9]{1,10}") || Long.parseLong(id) == 0 || Long.parseLong(id) > Integer.MAX_VALUE) {
                throw new MalformedSoapException("RequestID must be a number from 1 to 2147483647");
            }
            return new RstRequest(messageId, type, null, new byte[0], Optional.empty(), Optional.of(Long.parseLong(id)));
        }
        SoapElement bst = rst.child(Namespaces.WSSE, "BinarySecurityToken")
                .orElseThrow(() -> new MalformedSoapException("the request has no wsse:BinarySecurityToken"));
        String valueType = bst.attribute("ValueType").map(String::strip).orElse(PKCS10);
        if (!valueType.equals(PKCS10) && !valueType.equals(PKCS7)) {
            throw new MalformedSoapException("the BinarySecurityToken's ValueType must be PKCS10 or PKCS7");
        }
        String encoding = bst.attribute("EncodingType").map(String::strip).orElse("#base64binary");
        if (!encoding.toLowerCase(java.util.Locale.ROOT).endsWith("#base64binary")) {
            throw new MalformedSoapException("the BinarySecurityToken's EncodingType must be base64Binary");
        }
        byte[] token;
        try {
            token = Base64.getDecoder().decode(bst.text().replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new MalformedSoapException("the BinarySecurityToken is not base64");
        }
        if (token.length == 0) {
            throw new MalformedSoapException("the BinarySecurityToken is empty");
        }
        return new RstRequest(messageId, type, valueType, token, template(rst), Optional.empty());
    }

    private static Optional<String> template(SoapElement rst) throws MalformedSoapException {
        Optional<SoapElement> context = rst.child(Namespaces.AUTH, "AdditionalContext");
        if (context.isEmpty()) {
            return Optional.empty();
        }
        for (SoapElement item : context.get().children(Namespaces.AUTH, "ContextItem")) {
            if ("CertificateTemplate".equals(item.attribute("Name").orElse(null))) {
                String value = item.childText(Namespaces.AUTH, "Value").orElse("");
                if (value.isEmpty() || value.length() > MAX_TEMPLATE_CHARS || value.chars().anyMatch(c -> c < 0x20)) {
                    throw new MalformedSoapException("the CertificateTemplate context item is empty, too long or has control characters");
                }
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
