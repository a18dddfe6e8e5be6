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
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
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

    /** A new token, ctime now. */
    byte[] next() throws KrbException {
        Instant now = Instant.now();
        Authenticator authenticator = new Authenticator();
        authenticator.setAuthenticatorVno(5);
        authenticator.setCrealm(clientRealm);
        authenticator.setCname(client);
        authenticator.setCtime(new KerberosTime(now.toEpochMilli()));
        authenticator.setCusec(RANDOM.nextInt(1_000_000));
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
        return tlv(0x60, tlv(0x06, SPNEGO_OID), tlv(0xA0, tlv(0x30, mechTypes, tlv(0xA2, tlv(0x04, gss)))));
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
