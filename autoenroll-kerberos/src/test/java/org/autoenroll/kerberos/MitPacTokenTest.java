package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationData;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationDataEntry;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationType;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.ap.Authenticator;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.kerberos.testkit.ApReqBuilder;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.junit.jupiter.api.Test;

/**
 * A real token from MIT krb5 1.20.1 (Debian 12): krb5kdc issued the ticket for alice@TEST.COM to
 * HTTP/localhost (kadmin.local ktadd, kvno 2) and curl --negotiate sent it. MIT 1.20+ KDCs put a
 * PAC in every ticket: client info and server/KDC/ticket signatures, no logon info. Captured
 * 2026-11-28 with the keytab of that throwaway test KDC (resources mit-1.20/).
 */
class MitPacTokenTest {
    private static final String REALM = "TEST.COM";

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = MitPacTokenTest.class.getResourceAsStream("mit-1.20/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The pieces of the token, decrypted with the keytab. */
    private record Opened(ApReq apReq, EncTicketPart ticketPart, EncryptionKey serviceKey, Instant ctime) {
    }

    private static Opened open() throws Exception {
        byte[] token = resource("spnego-token.bin");
        byte[] apReqBytes = NegotiateCodec.unwrap(token).apReq();
        ApReq apReq = KrbCodec.decode(apReqBytes, ApReq.class);
        EncryptionKey key = Keytabs.entry(resource("http-localhost.keytab"), "HTTP/localhost",
                apReq.getTicket().getEncryptedEncPart().getEType()).getKey();
        EncTicketPart part = KrbCodec.decode(EncryptionHandler.decrypt(apReq.getTicket().getEncryptedEncPart(), key,
                KeyUsage.KDC_REP_TICKET), EncTicketPart.class);
        Authenticator authenticator = KrbCodec.decode(EncryptionHandler.decrypt(apReq.getEncryptedAuthenticator(),
                part.getKey(), KeyUsage.AP_REQ_AUTH), Authenticator.class);
        return new Opened(apReq, part, key, Instant.ofEpochMilli(authenticator.getCtime().getTime()));
    }

    private static KerberosAcceptor acceptor(Instant now) throws IOException {
        return KerberosAcceptor.builder().addRealm(REALM, resource("http-localhost.keytab"))
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    private static byte[] pacOf(EncTicketPart part) throws Exception {
        for (AuthorizationDataEntry entry : part.getAuthorizationData().getElements()) {
            if (entry.getAuthzType() == AuthorizationType.AD_IF_RELEVANT) {
                for (AuthorizationDataEntry inner : KrbCodec.decode(entry.getAuthzData(), AuthorizationData.class)
                        .getElements()) {
                    if (inner.getAuthzType() == AuthorizationType.AD_WIN2K_PAC) {
                        return inner.getAuthzData();
                    }
                }
            }
        }
        return null;
    }

    @Test
    void validate_mitTokenWithPac_acceptedWithoutSids() throws Exception {
        Opened opened = open();
        AuthenticatedPrincipal principal = acceptor(opened.ctime()).validate(resource("spnego-token.bin"));
        assertEquals("alice@TEST.COM", principal.principal());
        assertTrue(principal.userSid().isEmpty());
    }

    @Test
    void parse_mitPac_clientInfoAndSignaturesWithoutLogonInfo() throws Exception {
        Opened opened = open();
        byte[] pac = pacOf(opened.ticketPart());
        assertNotNull(pac, "MIT 1.20 puts a PAC in the ticket");
        Pac.Parsed parsed = Pac.parse(pac);
        assertEquals("alice", parsed.clientInfoName());
        assertNull(parsed.accountName());
        assertEquals(Pac.HMAC_SHA1_96_AES256, parsed.serverSignatureType());
        Pac.Logon logon = Pac.verify(pac, opened.serviceKey(), "alice", REALM,
                opened.ticketPart().getAuthTime().getTime() / 1000);
        assertTrue(!logon.hasSids());
    }

    @Test
    void validate_mitTicketWithAlteredPacSignature_refused() throws Exception {
        // the real ticket re-encrypted with one bit of the PAC's server signature flipped
        Opened opened = open();
        byte[] pac = pacOf(opened.ticketPart());
        Pac.Parsed parsed = Pac.parse(pac);
        byte[] altered = pac.clone();
        altered[parsed.serverSignatureOffset()] ^= 0x01;
        byte[] token = reissue(opened, altered);
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> acceptor(opened.ctime()).validate(token));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
        // the same re-encryption without the flip passes: the refusal is the signature's
        assertEquals("alice", acceptor(opened.ctime()).validate(reissue(opened, pac)).name());
    }

    private static byte[] reissue(Opened opened, byte[] pac) throws Exception {
        EncTicketPart part = opened.ticketPart();
        byte[] pacBytes = Arrays.copyOf(pac, pac.length);
        part.setAuthorizationData(org.autoenroll.kerberos.testkit.TicketForger.ifRelevant(pacBytes));
        Ticket original = opened.apReq().getTicket();
        EncryptedData encrypted = EncryptionHandler.encrypt(KrbCodec.encode(part), opened.serviceKey(),
                KeyUsage.KDC_REP_TICKET);
        encrypted.setKvno(original.getEncryptedEncPart().getKvno());
        Ticket ticket = new Ticket();
        ticket.setTktKvno(5);
        ticket.setSname(original.getSname());
        ticket.setRealm(original.getRealm());
        ticket.setEncryptedEncPart(encrypted);
        assertEquals(EncryptionType.AES256_CTS_HMAC_SHA1_96, opened.serviceKey().getKeyType());
        return new ApReqBuilder(ticket, part.getKey(), "alice", REALM).ctime(opened.ctime()).spnegoToken();
    }
}
