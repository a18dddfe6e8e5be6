package org.autoenroll.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ap.ApRep;
import org.apache.kerby.kerberos.kerb.type.ap.EncAPRepPart;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.junit.jupiter.api.Test;

/** Mutual authentication: only an AP-REP under the session key that repeats the authenticator's time is accepted. */
class SpnegoTokenTest {
    private static final byte[] KRB5_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x12, 0x01, 0x02, 0x02};

    private final EncryptionKey sessionKey;
    private final SpnegoToken tokens;

    SpnegoTokenTest() throws Exception {
        sessionKey = EncryptionHandler.random2Key(EncryptionType.AES256_CTS_HMAC_SHA1_96);
        Ticket ticket = new Ticket();
        ticket.setSname(new PrincipalName("HTTP/localhost"));
        ticket.setRealm("EXAMPLE.COM");
        ticket.setEncryptedEncPart(EncryptionHandler.encrypt(new byte[32], sessionKey, KeyUsage.KDC_REP_TICKET));
        tokens = new SpnegoToken(ticket, sessionKey, new PrincipalName("alice"), "EXAMPLE.COM");
    }

    /** As the server's acceptor answers: NegTokenResp accept-completed around a GSS-framed AP-REP. */
    private static byte[] reply(EncryptionKey key, long ctimeSeconds, int cusec) throws Exception {
        EncAPRepPart part = new EncAPRepPart();
        part.setCtime(new KerberosTime(ctimeSeconds * 1000));
        part.setCusec(cusec);
        ApRep apRep = new ApRep();
        apRep.setEncryptedEncPart(EncryptionHandler.encrypt(KrbCodec.encode(part), key, KeyUsage.AP_REP_ENCPART));
        byte[] oid = SpnegoToken.tlv(0x06, KRB5_OID);
        byte[] gss = SpnegoToken.tlv(0x60, oid, new byte[] {0x02, 0x00}, KrbCodec.encode(apRep));
        return SpnegoToken.tlv(0xA1, SpnegoToken.tlv(0x30, SpnegoToken.tlv(0xA0, SpnegoToken.tlv(0x0A, new byte[] {0})),
                SpnegoToken.tlv(0xA1, oid), SpnegoToken.tlv(0xA2, SpnegoToken.tlv(0x04, gss))));
    }

    @Test
    void mismatch_rightKeyAndTime_accepted() throws Exception {
        SpnegoToken.Sent sent = tokens.next();
        assertEquals(0x60, sent.token()[0] & 0xFF);
        assertNull(tokens.mismatch(sent, reply(sessionKey, sent.ctimeSeconds(), sent.cusec())));
    }

    @Test
    void mismatch_otherKeyOtherTimeOrGarbage_refused() throws Exception {
        SpnegoToken.Sent sent = tokens.next();
        EncryptionKey other = EncryptionHandler.random2Key(EncryptionType.AES256_CTS_HMAC_SHA1_96);
        assertNotNull(tokens.mismatch(sent, reply(other, sent.ctimeSeconds(), sent.cusec())));
        assertNotNull(tokens.mismatch(sent, reply(sessionKey, sent.ctimeSeconds(), (sent.cusec() + 1) % 1_000_000)));
        assertNotNull(tokens.mismatch(sent, reply(sessionKey, sent.ctimeSeconds() - 60, sent.cusec())));
        assertNotNull(tokens.mismatch(sent, new byte[] {(byte) 0xA1, 0x05, 0x30, 0x03, 0x02, 0x01}));
        assertNotNull(tokens.mismatch(sent, new byte[0]));
        assertNotNull(tokens.mismatch(sent, new byte[] {(byte) 0xA1, (byte) 0x84, 0x7F, 0x7F, 0x7F, 0x7F}));
    }
}
