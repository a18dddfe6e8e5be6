package org.autoenroll.client;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ap.ApOption;
import org.apache.kerby.kerberos.kerb.type.ap.ApOptions;
import org.apache.kerby.kerberos.kerb.type.ap.ApRep;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.ap.EncAPRepPart;
import org.apache.kerby.kerberos.kerb.type.ap.Authenticator;
import org.apache.kerby.kerberos.kerb.type.base.CheckSum;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;

/**
 * The Negotiate token a GSS-API initiator sends with a service ticket (RFC 4121 4.1, RFC 4178):
 * an AP-REQ whose authenticator carries the 0x8003 GSS checksum (mutual, sequence, confidentiality
 * and integrity flags), a fresh subkey and sequence number, framed as a GSS initial context token
 * inside a SPNEGO NegTokenInit offering Kerberos only. A new authenticator for every request: the
 * server's replay cache refuses one it has seen. Thread-safe.
 */
final class SpnegoToken {
    private static final byte[] KRB5_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x12, 0x01, 0x02, 0x02};
    private static final byte[] SPNEGO_OID = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x02};
    /** GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, as MIT and the JDK send. */
    private static final int GSS_FLAGS = 0x02 | 0x08 | 0x10 | 0x20;
    private static final int GSS_CHECKSUM_TYPE = 0x8003;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ticket ticket;
    private final EncryptionKey sessionKey;
    private final PrincipalName client;
    private final String clientRealm;

    SpnegoToken(Ticket ticket, EncryptionKey sessionKey, PrincipalName client, String clientRealm) {
        this.ticket = ticket;
        this.sessionKey = sessionKey;
        this.client = client;
        this.clientRealm = clientRealm;
    }

    /** A token sent: its bytes, and the authenticator's time that the server's AP-REP must repeat. */
    record Sent(byte[] token, long ctimeSeconds, int cusec) {
    }

    /** A new token, ctime now. */
    Sent next() throws KrbException {
        Instant now = Instant.now();
        int cusec = RANDOM.nextInt(1_000_000);
        Authenticator authenticator = new Authenticator();
        authenticator.setAuthenticatorVno(5);
        authenticator.setCrealm(clientRealm);
        authenticator.setCname(client);
        authenticator.setCtime(new KerberosTime(now.toEpochMilli()));
        authenticator.setCusec(cusec);
        authenticator.setCksum(gssChecksum());
        authenticator.setSubKey(EncryptionHandler.random2Key(sessionKey.getKeyType()));
        authenticator.setSeqNumber(RANDOM.nextInt() & 0x3FFFFFFF);
        ApReq apReq = new ApReq();
        ApOptions options = new ApOptions();
        options.setFlag(ApOption.MUTUAL_REQUIRED);
        apReq.setApOptions(options);
        apReq.setTicket(ticket);
        apReq.setEncryptedAuthenticator(EncryptionHandler.encrypt(KrbCodec.encode(authenticator), sessionKey, KeyUsage.AP_REQ_AUTH));
        byte[] gss = tlv(0x60, tlv(0x06, KRB5_OID), new byte[] {0x01, 0x00}, KrbCodec.encode(apReq));
        byte[] mechTypes = tlv(0xA0, tlv(0x30, tlv(0x06, KRB5_OID)));
        byte[] token = tlv(0x60, tlv(0x06, SPNEGO_OID), tlv(0xA0, tlv(0x30, mechTypes, tlv(0xA2, tlv(0x04, gss)))));
        return new Sent(token, now.getEpochSecond(), cusec);
    }

    /**
     * Mutual authentication: the server's {@code WWW-Authenticate: Negotiate} answer (SPNEGO
     * NegTokenResp, GSS-framed AP-REP) must decrypt with the ticket's session key, which only the
     * holder of the service's key can know, and repeat the authenticator's time (RFC 4120 3.2.5).
     *
     * @return null when it does, else what is wrong
     */
    String mismatch(Sent sent, byte[] reply) {
        try {
            byte[] negTokenResp = content(reply, 0xA1);
            byte[] responseToken = null;
            byte[] fields = content(negTokenResp, 0x30);
            for (int at = 0; at < fields.length; ) {
                int[] tlv = header(fields, at);
                if ((fields[at] & 0xFF) == 0xA2) {
                    responseToken = content(Arrays.copyOfRange(fields, tlv[0], tlv[1]), 0x04);
                }
                at = tlv[1];
            }
            if (responseToken == null) {
                return "the answer holds no response token";
            }
            byte[] gss = content(responseToken, 0x60);
            int[] oid = header(gss, 0);
            if ((gss[0] & 0xFF) != 0x06 || gss.length < oid[1] + 2 || gss[oid[1]] != 0x02 || gss[oid[1] + 1] != 0x00) {
                return "the response token is no Kerberos AP-REP";
            }
            ApRep apRep = KrbCodec.decode(Arrays.copyOfRange(gss, oid[1] + 2, gss.length), ApRep.class);
            EncAPRepPart part = KrbCodec.decode(EncryptionHandler.decrypt(apRep.getEncryptedEncPart(), sessionKey,
                    KeyUsage.AP_REP_ENCPART), EncAPRepPart.class);
            if (part.getCtime() == null || part.getCtime().getTime() / 1000 != sent.ctimeSeconds() || part.getCusec() != sent.cusec()) {
                return "the AP-REP does not repeat the authenticator's time";
            }
            return null;
        } catch (KrbException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return "the AP-REP cannot be read or decrypted with the session key (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** The content of the DER element at the start of {@code der}, which must have {@code tag}. */
    private static byte[] content(byte[] der, int tag) {
        if (der.length < 2 || (der[0] & 0xFF) != tag) {
            throw new IllegalArgumentException("expected tag " + Integer.toHexString(tag));
        }
        int[] tlv = header(der, 0);
        return Arrays.copyOfRange(der, tlv[0], tlv[1]);
    }

    /** {content start, content end} of the element at {@code at}; definite lengths only, bounded by the array. */
    private static int[] header(byte[] der, int at) {
        int lengthByte = der[at + 1] & 0xFF;
        int start = at + 2;
        int length;
        if (lengthByte < 0x80) {
            length = lengthByte;
        } else {
            int count = lengthByte & 0x7F;
            if (count == 0 || count > 3) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[start + i] & 0xFF);
            }
            start += count;
        }
        if (start + length > der.length) {
            throw new IllegalArgumentException("DER element longer than its container");
        }
        return new int[] {start, start + length};
    }

    /**
     * The 24-byte 0x8003 checksum (length 16, no channel bindings, the flags little-endian). Kerby's
     * CheckSumType has no 0x8003, so the Checksum is decoded from hand-made DER to keep the raw type.
     */
    private static CheckSum gssChecksum() throws KrbException {
        byte[] value = new byte[24];
        value[0] = 16;
        value[20] = (byte) GSS_FLAGS;
        byte[] type = {0x00, (byte) (GSS_CHECKSUM_TYPE >> 8), (byte) GSS_CHECKSUM_TYPE};
        byte[] der = tlv(0x30, tlv(0xA0, tlv(0x02, type)), tlv(0xA1, tlv(0x04, value)));
        return KrbCodec.decode(der, CheckSum.class);
    }

    /** DER TLV with a definite length. */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(content::writeBytes);
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
