package org.autoenroll.kerberos;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * Unwraps a Negotiate token down to the Kerberos AP-REQ (SPNEGO NegTokenInit -> GSS initial
 * context token with a Kerberos OID -> TOK_ID 01 00 -> AP-REQ), and wraps an AP-REP back up as
 * a SPNEGO NegTokenResp accept-completed (RFC 4178, RFC 4121 section 4.1, RFC 2743 section 3.1).
 *
 * <p>Every refusal is an {@link EnrollmentException} with {@link ErrorCode#AUTHENTICATION_ERROR}
 * and a detail that never holds token bytes. Stateless and thread-safe.
 */
final class NegotiateCodec {
    /** DER content of OID 1.3.6.1.5.5.2 (SPNEGO). */
    static final byte[] SPNEGO_OID = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x02};
    /** DER content of OID 1.2.840.113554.1.2.2 (Kerberos V5, RFC 1964). */
    static final byte[] KRB5_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x12, 0x01, 0x02, 0x02};
    /** DER content of OID 1.2.840.48018.1.2.2 (Microsoft's mistyped Kerberos V5 OID). */
    static final byte[] MS_KRB5_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0x82, (byte) 0xF7, 0x12, 0x01, 0x02, 0x02};
    /** DER content of OID 1.3.6.1.4.1.311.2.2.10 (NTLMSSP). */
    static final byte[] NTLM_OID = {0x2B, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x02, 0x02, 0x0A};

    static final byte[] NTLMSSP_SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);

    static final String NTLM_DETAIL = "the client offered NTLM instead of Kerberos: it found no service principal (SPN) "
            + "for this server's host name, or addressed the server by IP address instead of its host name";

    private static final int AP_REQ_TAG = 0x6E;

    private NegotiateCodec() {
    }

    /** The AP-REQ found in a token and the Kerberos mechanism OID it came with. */
    record Unwrapped(byte[] apReq, byte[] mechOid, boolean spnego) {
    }

    static Unwrapped unwrap(byte[] token) throws EnrollmentException {
        if (startsWith(token, NTLMSSP_SIGNATURE)) {
            throw fail(NTLM_DETAIL);
        }
        try {
            Der.Reader outer = Der.Reader.of(token);
            if (outer.peekTag() == AP_REQ_TAG) {
                throw fail("a bare Kerberos AP-REQ without GSS-API framing is not accepted (no GSS checksum)");
            }
            if (outer.peekTag() != Der.APPLICATION_0) {
                if (outer.peekTag() == 0xA1) {
                    throw fail("a SPNEGO continuation token (NegTokenResp) arrived where an initial token was expected");
                }
                throw fail("not a SPNEGO or Kerberos GSS-API token");
            }
            Der.Tlv app = outer.read();
            if (outer.hasMore()) {
                throw fail("malformed token: trailing bytes after the GSS-API token");
            }
            Der.Reader inner = app.reader();
            Der.Tlv mech = inner.read(Der.OID, "GSS-API mechanism");
            if (mech.contentEquals(SPNEGO_OID) && mech.contentLength() == SPNEGO_OID.length) {
                return unwrapSpnego(inner);
            }
            if (isKerberosOid(mech)) {
                return new Unwrapped(unwrapKerberos(inner), mech.content(), false);
            }
            if (isOid(mech, NTLM_OID)) {
                throw fail(NTLM_DETAIL);
            }
            throw fail("not Kerberos: the GSS-API token is for another mechanism");
        } catch (Der.MalformedException e) {
            throw fail("malformed Negotiate token: " + e.getMessage());
        }
    }

    private static Unwrapped unwrapSpnego(Der.Reader inner) throws Der.MalformedException, EnrollmentException {
        int choice = inner.peekTag();
        if (choice == 0xA1) {
            throw fail("a SPNEGO continuation token (NegTokenResp) arrived where an initial token was expected");
        }
        if (choice != 0xA0) {
            throw fail("malformed SPNEGO token: not a NegTokenInit");
        }
        Der.Tlv init = inner.read();
        if (inner.hasMore()) {
            throw new Der.MalformedException("trailing bytes after NegTokenInit");
        }
        Der.Reader seqReader = init.reader();
        Der.Tlv seq = seqReader.read(Der.SEQUENCE, "NegTokenInit");
        Der.Reader fields = seq.reader();
        byte[] firstMech = null;
        boolean kerberosOffered = false;
        boolean ntlmOffered = false;
        byte[] mechToken = null;
        while (fields.hasMore()) {
            Der.Tlv field = fields.read();
            switch (field.tag()) {
                case 0xA0 -> {
                    Der.Reader list = field.reader().read(Der.SEQUENCE, "mechTypes").reader();
                    while (list.hasMore()) {
                        Der.Tlv oid = list.read(Der.OID, "mechType");
                        if (firstMech == null) {
                            firstMech = oid.content();
                        }
                        kerberosOffered |= isKerberosOid(oid);
                        ntlmOffered |= isOid(oid, NTLM_OID);
                    }
                }
                case 0xA2 -> mechToken = field.reader().read(Der.OCTET_STRING, "mechToken").content();
                case 0xA1, 0xA3, 0xA4 -> {
                    // reqFlags, negHints (Microsoft's NegTokenInit2) or mechListMIC: not needed to accept
                }
                default -> throw new Der.MalformedException("unknown NegTokenInit field");
            }
        }
        if (mechToken == null || mechToken.length == 0) {
            if (ntlmOffered && !kerberosOffered) {
                throw fail(NTLM_DETAIL);
            }
            throw fail("the SPNEGO token carries no optimistic mechanism token; only single-round Kerberos is accepted");
        }
        if (startsWith(mechToken, NTLMSSP_SIGNATURE)) {
            throw fail(NTLM_DETAIL);
        }
        Der.Reader gss = Der.Reader.of(mechToken);
        if (gss.peekTag() != Der.APPLICATION_0) {
            throw fail("not Kerberos: the SPNEGO mechanism token is not a GSS-API initial context token");
        }
        Der.Tlv app = gss.read();
        if (gss.hasMore()) {
            throw new Der.MalformedException("trailing bytes after the Kerberos GSS-API token");
        }
        Der.Reader krb = app.reader();
        Der.Tlv mech = krb.read(Der.OID, "mechanism");
        if (!isKerberosOid(mech)) {
            throw fail("not Kerberos: the SPNEGO mechanism token is for another mechanism");
        }
        byte[] apReq = unwrapKerberos(krb);
        byte[] responseMech = firstMech != null && (Arrays.equals(firstMech, KRB5_OID) || Arrays.equals(firstMech, MS_KRB5_OID))
                ? firstMech : mech.content();
        return new Unwrapped(apReq, responseMech, true);
    }

    /** After the Kerberos OID: TOK_ID 01 00 and the AP-REQ. */
    private static byte[] unwrapKerberos(Der.Reader krb) throws Der.MalformedException, EnrollmentException {
        byte[] rest = krb.rest();
        if (rest.length < 2) {
            throw new Der.MalformedException("missing Kerberos token id");
        }
        if (rest[0] != 0x01 || rest[1] != 0x00) {
            throw fail("the Kerberos GSS-API token is not an AP-REQ (token id is not 01 00)");
        }
        if (rest.length < 3 || (rest[2] & 0xFF) != AP_REQ_TAG) {
            throw new Der.MalformedException("the Kerberos token does not hold an AP-REQ");
        }
        return Arrays.copyOfRange(rest, 2, rest.length);
    }

    /** SPNEGO NegTokenResp accept-completed, holding a GSS-wrapped AP-REP for mutual authentication. */
    static byte[] wrapApRep(byte[] apRep, byte[] mechOid) {
        byte[] oid = Der.tlv(Der.OID, mechOid);
        byte[] gss = Der.tlv(Der.APPLICATION_0, oid, new byte[] {0x02, 0x00}, apRep);
        byte[] negState = Der.tlv(0xA0, Der.tlv(Der.ENUMERATED, new byte[] {0x00}));
        byte[] supportedMech = Der.tlv(0xA1, oid);
        byte[] responseToken = Der.tlv(0xA2, Der.tlv(Der.OCTET_STRING, gss));
        return Der.tlv(0xA1, Der.tlv(Der.SEQUENCE, negState, supportedMech, responseToken));
    }

    private static boolean isKerberosOid(Der.Tlv oid) {
        return isOid(oid, KRB5_OID) || isOid(oid, MS_KRB5_OID);
    }

    private static boolean isOid(Der.Tlv oid, byte[] expected) {
        return oid.contentLength() == expected.length && oid.contentEquals(expected);
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    static EnrollmentException fail(String detail) {
        return new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, detail);
    }
}
