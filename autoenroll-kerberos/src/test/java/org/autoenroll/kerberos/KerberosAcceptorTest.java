package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.ap.ApOption;
import org.apache.kerby.kerberos.kerb.type.ap.ApOptions;
import org.apache.kerby.kerberos.kerb.type.ap.ApRep;
import org.apache.kerby.kerberos.kerb.type.ap.EncAPRepPart;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.kerberos.testkit.ApReqBuilder;
import org.autoenroll.kerberos.testkit.GssTokens;
import org.autoenroll.kerberos.testkit.KdcFixture;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.autoenroll.kerberos.testkit.ServiceTicket;
import org.autoenroll.kerberos.testkit.TicketForger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerberosAcceptorTest {
    private static final String REALM = TestRealm.realm();

    private static KerberosAcceptor acceptor() {
        return KerberosAcceptor.builder().addRealm(REALM, TestRealm.keytab()).build();
    }

    private static ServiceTicket ticket() {
        return TestRealm.kdc().serviceTicket(TestRealm.USER, TestRealm.PASSWORD, TestRealm.SERVICE);
    }

    @Test
    void validate_realTokenFromKdc_returnsAlice(@TempDir Path dir) throws Exception {
        KdcFixture kdc = TestRealm.kdc();
        Path keytab = kdc.exportKeytab(TestRealm.SERVICE, dir.resolve("http.keytab"));
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(kdc.realm(), keytab).build();

        AuthenticatedPrincipal principal = acceptor.validate(
                kdc.negotiateToken(TestRealm.USER, TestRealm.PASSWORD, TestRealm.SERVICE));

        assertEquals("alice", principal.name());
        assertEquals(kdc.realm(), principal.realm());
        assertEquals("alice@" + kdc.realm(), principal.principal());
    }

    @Test
    void validate_mutualRequested_returnsNegTokenRespWithApRepUnderSessionKey() throws Exception {
        ServiceTicket ticket = ticket();
        ApReqBuilder builder = ticket.apReq();
        AuthenticatedPrincipal principal = acceptor().validate(builder.spnegoToken());

        byte[] response = principal.responseToken().orElseThrow();
        Der.Reader top = Der.Reader.of(response);
        Der.Tlv negTokenResp = top.read(0xA1, "NegTokenResp");
        assertFalse(top.hasMore());
        Der.Reader fields = negTokenResp.reader().read(Der.SEQUENCE, "seq").reader();
        Der.Tlv negState = fields.read(0xA0, "negState").reader().read(Der.ENUMERATED, "enum");
        assertArrayEquals(new byte[] {0}, negState.content()); // accept-completed
        Der.Tlv supportedMech = fields.read(0xA1, "supportedMech").reader().read(Der.OID, "oid");
        assertArrayEquals(GssTokens.KRB5_OID, supportedMech.content());
        byte[] gss = fields.read(0xA2, "responseToken").reader().read(Der.OCTET_STRING, "octets").content();
        assertFalse(fields.hasMore());

        Der.Reader gssReader = Der.Reader.of(gss).read(Der.APPLICATION_0, "gss").reader();
        assertArrayEquals(GssTokens.KRB5_OID, gssReader.read(Der.OID, "mech").content());
        byte[] rest = gssReader.rest();
        assertEquals(0x02, rest[0]); // TOK_ID 02 00: AP-REP
        assertEquals(0x00, rest[1]);
        ApRep apRep = KrbCodec.decode(java.util.Arrays.copyOfRange(rest, 2, rest.length), ApRep.class);
        EncAPRepPart part = KrbCodec.decode(EncryptionHandler.decrypt(apRep.getEncryptedEncPart(),
                ticket.sessionKey(), KeyUsage.AP_REP_ENCPART), EncAPRepPart.class);
        assertTrue(part.getCtime() != null && part.getCusec() >= 0);
    }

    @Test
    void validate_mutualNotRequested_noResponseToken() throws Exception {
        AuthenticatedPrincipal principal = acceptor().validate(ticket().apReq().mutual(false).spnegoToken());
        assertTrue(principal.responseToken().isEmpty());
    }

    @Test
    void validate_windowsStyleMicrosoftOid_acceptedAndAnsweredWithSameOid() throws Exception {
        AuthenticatedPrincipal principal = acceptor().validate(ticket().apReq().windowsSpnegoToken());
        assertEquals("alice", principal.name());
        byte[] response = principal.responseToken().orElseThrow();
        Der.Reader fields = Der.Reader.of(response).read(0xA1, "resp").reader().read(Der.SEQUENCE, "seq").reader();
        fields.read(0xA0, "negState");
        assertArrayEquals(GssTokens.MS_KRB5_OID, fields.read(0xA1, "mech").reader().read(Der.OID, "oid").content());
    }

    @Test
    void validate_rawGssKerberosToken_accepted() throws Exception {
        assertEquals("alice", acceptor().validate(ticket().apReq().gssToken()).name());
    }

    @Test
    void validate_authenticatorWithoutSubkey_accepted() throws Exception {
        assertEquals("alice", acceptor().validate(ticket().apReq().subkey(false).spnegoToken()).name());
    }

    @Test
    void validate_tokenAtSkewEdge_accepted() throws Exception {
        byte[] token = ticket().apReq().ctime(java.time.Instant.now().minus(Duration.ofMinutes(4))).spnegoToken();
        assertEquals("alice", acceptor().validate(token).name());
    }

    /**
     * Only one Kerby KDC fits in a JVM: the second realm's ticket is made from its service key,
     * as its KDC would make it, and its keytab from the service password as ktpass does.
     */
    @Test
    void validate_twoRealmsInOneAcceptor_eachRealmsTicketAccepted() throws Exception {
        String other = "OTHER.TEST";
        byte[] otherKeytab = Keytabs.fromPassword("HTTP/localhost@" + other, "other-service-pw", 3,
                EncryptionType.AES256_CTS_HMAC_SHA1_96, EncryptionType.AES128_CTS_HMAC_SHA1_96);
        KerberosAcceptor acceptor = KerberosAcceptor.builder()
                .addRealm(REALM, TestRealm.keytab())
                .addRealm(other, otherKeytab)
                .build();
        KeytabEntry otherKey = Keytabs.entry(otherKeytab, "HTTP/localhost", EncryptionType.AES256_CTS_HMAC_SHA1_96);
        byte[] otherToken = new TicketForger(other, "HTTP/localhost", otherKey.getKey(), 3).client("bob", other)
                .forge().apReq().spnegoToken();

        assertEquals("alice@" + REALM, acceptor.validate(ticket().apReq().spnegoToken()).principal());
        assertEquals("bob@" + other, acceptor.validate(otherToken).principal());
        assertEquals(java.util.Set.of(REALM, other), acceptor.realms());
    }

    @Test
    void validate_rc4TicketWithAllowRc4_accepted() throws Exception {
        String principal = TestRealm.SERVICE + "@" + REALM;
        byte[] keytab = Keytabs.fromPassword(principal, "rc4-pw", 2, EncryptionType.ARCFOUR_HMAC);
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(REALM, keytab).allowRc4(REALM).build();
        KeytabEntry key = Keytabs.entry(keytab, TestRealm.SERVICE, EncryptionType.ARCFOUR_HMAC);
        byte[] token = new TicketForger(REALM, TestRealm.SERVICE, key.getKey(), 2).forge().apReq().spnegoToken();
        assertEquals("alice", acceptor.validate(token).name());
    }

    @Test
    void apOptions_mutualRequired_encodesKerberosBit2() throws Exception {
        ApOptions options = new ApOptions();
        options.setFlag(ApOption.MUTUAL_REQUIRED);
        // RFC 4120: BIT STRING, 32 bits, mutual-required is bit 2 (0x20 in the first byte)
        assertArrayEquals(new byte[] {0x03, 0x05, 0x00, 0x20, 0x00, 0x00, 0x00}, options.encode());
    }

    @Test
    void build_noRealm_illegalState() {
        assertThrows(IllegalStateException.class, () -> KerberosAcceptor.builder().build());
    }

    @Test
    void build_allowRc4ForUnknownRealm_illegalState() {
        assertThrows(IllegalStateException.class,
                () -> KerberosAcceptor.builder().addRealm(REALM, TestRealm.keytab()).allowRc4("NOPE.TEST").build());
    }

    @Test
    void build_skewAboveCap_illegalState() {
        assertThrows(IllegalStateException.class, () -> KerberosAcceptor.builder().addRealm(REALM, TestRealm.keytab())
                .maxSkew(Duration.ofHours(1)).build());
    }

    @Test
    void build_garbageKeytab_illegalArgument() {
        assertThrows(IllegalArgumentException.class,
                () -> KerberosAcceptor.builder().addRealm(REALM, new byte[] {5, 2, 0, 0, 0, 99, 1}).build());
    }

    @Test
    void build_keytabOfAnotherRealm_illegalArgument() {
        assertThrows(IllegalArgumentException.class,
                () -> KerberosAcceptor.builder().addRealm("OTHER.TEST", TestRealm.keytab()).build());
    }

    @Test
    void build_missingKeytabFile_uncheckedIo(@TempDir Path dir) {
        assertThrows(UncheckedIOException.class,
                () -> KerberosAcceptor.builder().addRealm(REALM, dir.resolve("absent.keytab")).build());
    }

    @Test
    void build_sameRealmTwice_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> KerberosAcceptor.builder()
                .addRealm(REALM, TestRealm.keytab()).addRealm(REALM, TestRealm.keytab()));
    }
}
