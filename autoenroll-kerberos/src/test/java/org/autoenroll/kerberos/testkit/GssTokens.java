package org.autoenroll.kerberos.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds GSS-API and SPNEGO framings the way initiators do (RFC 2743 3.1, RFC 4121 4.1,
 * RFC 4178), independently of the acceptor's own parser, for tests. Stateless and thread-safe.
 */
public final class GssTokens {
    /** OID 1.2.840.113554.1.2.2, DER content bytes. */
    public static final byte[] KRB5_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x12, 0x01, 0x02, 0x02};
    /** OID 1.2.840.48018.1.2.2 (Microsoft), DER content bytes. */
    public static final byte[] MS_KRB5_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0x82, (byte) 0xF7, 0x12, 0x01, 0x02, 0x02};
    /** OID 1.3.6.1.4.1.311.2.2.10 (NTLMSSP), DER content bytes. */
    public static final byte[] NTLM_OID = {0x2B, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x02, 0x02, 0x0A};
    /** OID 1.3.6.1.5.5.2 (SPNEGO), DER content bytes. */
    public static final byte[] SPNEGO_OID = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x02};

    private GssTokens() {
    }

    /** GSS initial context token: 0x60, mech OID, TOK_ID 01 00, AP-REQ. */
    public static byte[] wrapApReq(byte[] apReq, byte[] mechOid) {
        return tlv(0x60, tlv(0x06, mechOid), new byte[] {0x01, 0x00}, apReq);
    }

    /** SPNEGO NegTokenInit with the given mechTypes and the optimistic mechToken (null for none). */
    public static byte[] spnegoInit(byte[] mechToken, byte[]... mechOids) {
        byte[][] oids = new byte[mechOids.length][];
        for (int i = 0; i < mechOids.length; i++) {
            oids[i] = tlv(0x06, mechOids[i]);
        }
        byte[] mechTypes = tlv(0xA0, tlv(0x30, oids));
        byte[] body = mechToken == null ? tlv(0x30, mechTypes)
                : tlv(0x30, mechTypes, tlv(0xA2, tlv(0x04, mechToken)));
        return tlv(0x60, tlv(0x06, SPNEGO_OID), tlv(0xA0, body));
    }

    /** An NTLMSSP NEGOTIATE message (type 1) as Windows sends it when it found no SPN. */
    public static byte[] ntlmNegotiate() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {1, 0, 0, 0, (byte) 0x97, (byte) 0x82, 0x08, (byte) 0xE2});
        out.writeBytes(new byte[16]);
        out.writeBytes(new byte[] {10, 0, 0x61, 0x4A, 0, 0, 0, 0x0F});
        return out.toByteArray();
    }

    /** DER TLV with definite length. */
    public static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        int length = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
