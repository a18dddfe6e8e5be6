package org.autoenroll.kerberos.testkit;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
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
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;

/**
 * Builds an AP-REQ (and its GSS/SPNEGO framings) from a service ticket and its session key the
 * way a GSS-API initiator does: authenticator with the 0x8003 GSS checksum (24 bytes), a subkey
 * and a sequence number, ap-options MUTUAL_REQUIRED, no USE_SESSION_KEY. Every field can be
 * changed for negative tests. Not thread-safe; one builder per token.
 */
public final class ApReqBuilder {
    /** GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, as the JDK sends. */
    public static final int DEFAULT_GSS_FLAGS = 0x02 | 0x08 | 0x10 | 0x20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ticket ticket;
    private final EncryptionKey sessionKey;
    private String clientName;
    private String clientRealm;
    private Instant ctime = Instant.now();
    private int cusec = RANDOM.nextInt(1_000_000);
    private boolean mutual = true;
    private boolean useSessionKey;
    private boolean subkey = true;
    private byte[] checksum = gssChecksum(DEFAULT_GSS_FLAGS);
    private int checksumType = 0x8003;
    private EncryptionKey authenticatorKey;

    public ApReqBuilder(Ticket ticket, EncryptionKey sessionKey, String clientName, String clientRealm) {
        this.ticket = Objects.requireNonNull(ticket);
        this.sessionKey = Objects.requireNonNull(sessionKey);
        this.clientName = Objects.requireNonNull(clientName);
        this.clientRealm = Objects.requireNonNull(clientRealm);
    }

    /** The 24-byte 0x8003 checksum value: Lgth 16, zero channel bindings, the flags (little-endian). */
    public static byte[] gssChecksum(int flags) {
        byte[] value = new byte[24];
        value[0] = 16;
        value[20] = (byte) flags;
        value[21] = (byte) (flags >> 8);
        value[22] = (byte) (flags >> 16);
        value[23] = (byte) (flags >> 24);
        return value;
    }

    public ApReqBuilder ctime(Instant ctime) {
        this.ctime = ctime;
        return this;
    }

    public ApReqBuilder cusec(int cusec) {
        this.cusec = cusec;
        return this;
    }

    public ApReqBuilder mutual(boolean mutual) {
        this.mutual = mutual;
        return this;
    }

    public ApReqBuilder useSessionKey(boolean useSessionKey) {
        this.useSessionKey = useSessionKey;
        return this;
    }

    public ApReqBuilder subkey(boolean subkey) {
        this.subkey = subkey;
        return this;
    }

    /** The checksum value, or null for an authenticator without checksum. */
    public ApReqBuilder checksum(int type, byte[] value) {
        this.checksumType = type;
        this.checksum = value;
        return this;
    }

    /** The client named in the authenticator (by default the ticket's). */
    public ApReqBuilder authenticatorClient(String name, String realm) {
        this.clientName = name;
        this.clientRealm = realm;
        return this;
    }

    /** Encrypt the authenticator with another key than the session key. */
    public ApReqBuilder authenticatorKey(EncryptionKey key) {
        this.authenticatorKey = key;
        return this;
    }

    /** The DER AP-REQ. */
    public byte[] apReq() {
        try {
            Authenticator authenticator = new Authenticator();
            authenticator.setAuthenticatorVno(5);
            authenticator.setCrealm(clientRealm);
            authenticator.setCname(new PrincipalName(java.util.Arrays.asList(clientName.split("/", -1)), NameType.NT_PRINCIPAL));
            authenticator.setCtime(new KerberosTime(ctime.toEpochMilli()));
            authenticator.setCusec(cusec);
            if (checksum != null) {
                authenticator.setCksum(rawChecksum(checksumType, checksum));
            }
            if (subkey) {
                authenticator.setSubKey(EncryptionHandler.random2Key(sessionKey.getKeyType()));
            }
            authenticator.setSeqNumber(RANDOM.nextInt() & 0x3FFFFFFF);
            EncryptionKey key = authenticatorKey != null ? authenticatorKey : sessionKey;
            ApReq apReq = new ApReq();
            ApOptions options = new ApOptions();
            if (mutual) {
                options.setFlag(ApOption.MUTUAL_REQUIRED);
            }
            if (useSessionKey) {
                options.setFlag(ApOption.USE_SESSION_KEY);
            }
            apReq.setApOptions(options);
            apReq.setTicket(ticket);
            apReq.setEncryptedAuthenticator(
                    EncryptionHandler.encrypt(KrbCodec.encode(authenticator), key, KeyUsage.AP_REQ_AUTH));
            return KrbCodec.encode(apReq);
        } catch (KrbException e) {
            throw new IllegalStateException("cannot build AP-REQ", e);
        }
    }

    /** The AP-REQ in a GSS initial context token with the standard Kerberos OID. */
    public byte[] gssToken() {
        return GssTokens.wrapApReq(apReq(), GssTokens.KRB5_OID);
    }

    /** As the JDK and MIT send it: SPNEGO NegTokenInit, mechTypes [krb5], mechToken. */
    public byte[] spnegoToken() {
        return GssTokens.spnegoInit(gssToken(), GssTokens.KRB5_OID);
    }

    /** As Windows sends it: mechTypes [MS krb5, krb5, NTLM], mechToken framed with the MS OID. */
    public byte[] windowsSpnegoToken() {
        return GssTokens.spnegoInit(GssTokens.wrapApReq(apReq(), GssTokens.MS_KRB5_OID),
                GssTokens.MS_KRB5_OID, GssTokens.KRB5_OID, GssTokens.NTLM_OID);
    }

    /**
     * Kerby's CheckSumType enum has no 0x8003: decode a hand-made DER Checksum so the raw type
     * survives re-encoding.
     */
    static CheckSum rawChecksum(int type, byte[] value) throws KrbException {
        byte[] typeBytes = {(byte) (type >> 24), (byte) (type >> 16), (byte) (type >> 8), (byte) type};
        int skip = 0;
        while (skip < 3 && typeBytes[skip] == 0 && (typeBytes[skip + 1] & 0x80) == 0) {
            skip++;
        }
        byte[] minimal = java.util.Arrays.copyOfRange(typeBytes, skip, 4);
        byte[] der = GssTokens.tlv(0x30, GssTokens.tlv(0xA0, GssTokens.tlv(0x02, minimal)),
                GssTokens.tlv(0xA1, GssTokens.tlv(0x04, value)));
        return KrbCodec.decode(der, CheckSum.class);
    }
}
