package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.autoenroll.kerberos.testkit.PacBuilder;
import org.autoenroll.kerberos.testkit.TicketForger;
import org.junit.jupiter.api.Test;

/** PACs in tickets, end to end through {@link KerberosAcceptor#validate}: forged tickets, fixed clock. */
class KerberosAcceptorPacTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final Instant AUTH = NOW.minus(Duration.ofHours(1));
    private static final String REALM = "AD.TEST";
    private static final String SERVICE = "HTTP/localhost";
    private static final String DOMAIN_SID = "S-1-5-21-3623811015-3361044348-30300820";
    private static final EncryptionKey AES256 = TicketForger.keyFromPassword(SERVICE + "@" + REALM, "svc-pw",
            EncryptionType.AES256_CTS_HMAC_SHA1_96);
    private static final EncryptionKey RC4 = TicketForger.keyFromPassword(SERVICE + "@" + REALM, "svc-pw",
            EncryptionType.ARCFOUR_HMAC);
    private static final EncryptionKey KDC = TicketForger.keyFromPassword("krbtgt/" + REALM + "@" + REALM, "kdc",
            EncryptionType.AES256_CTS_HMAC_SHA1_96);

    private static final KerberosAcceptor ACCEPTOR = KerberosAcceptor.builder()
            .addRealm(REALM, Keytabs.fromKeys(SERVICE + "@" + REALM, 3, AES256, RC4))
            .allowRc4(REALM)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .replayCache((key, expiresAt) -> ReplayCache.Outcome.RECORDED) // the same ticket is shown many times
            .build();

    private static byte[] token(EncryptionKey serviceKey, byte[] pac) {
        TicketForger forger = new TicketForger(REALM, SERVICE, serviceKey, 3)
                .times(AUTH, NOW.plus(Duration.ofHours(9)))
                .sessionKeyType(EncryptionType.AES256_CTS_HMAC_SHA1_96);
        if (pac != null) {
            forger.pac(pac);
        }
        return forger.forge().apReq().ctime(NOW).spnegoToken();
    }

    private static PacBuilder pac() {
        return new PacBuilder("alice", AUTH).domainSid(DOMAIN_SID).userRid(1107).addGroup(512).addExtraSid("S-1-18-1");
    }

    @Test
    void validate_ticketWithPac_principalCarriesSids() throws Exception {
        AuthenticatedPrincipal principal = ACCEPTOR.validate(token(AES256, pac().build(AES256, KDC)));
        assertEquals("alice@" + REALM, principal.principal());
        assertEquals(DOMAIN_SID + "-1107", principal.userSid().orElseThrow());
        assertEquals(List.of(DOMAIN_SID + "-513", DOMAIN_SID + "-512", "S-1-18-1"), principal.groupSids());
        assertTrue(principal.responseToken().isPresent());
    }

    @Test
    void validate_rc4TicketWithHmacMd5Pac_principalCarriesSids() throws Exception {
        AuthenticatedPrincipal principal = ACCEPTOR.validate(token(RC4, pac().build(RC4, KDC)));
        assertEquals(DOMAIN_SID + "-1107", principal.userSid().orElseThrow());
    }

    @Test
    void validate_ticketWithoutPac_noSids() throws Exception {
        AuthenticatedPrincipal principal = ACCEPTOR.validate(token(AES256, null));
        assertTrue(principal.userSid().isEmpty());
        assertTrue(principal.groupSids().isEmpty());
    }

    @Test
    void validate_mitStylePacWithoutLogonInfo_acceptedWithoutSids() throws Exception {
        AuthenticatedPrincipal principal = ACCEPTOR.validate(token(AES256, pac().withoutLogonInfo().build(AES256, KDC)));
        assertEquals("alice", principal.name());
        assertTrue(principal.userSid().isEmpty());
        byte[] altered = pac().withoutLogonInfo().build(AES256, KDC);
        altered[PacBuilder.serverSignatureOffset(altered) + 11] ^= 0x01;
        assertRefused(token(AES256, altered));
        assertRefused(token(AES256, pac().withoutLogonInfo().clientInfoName("bob").build(AES256, KDC)));
    }

    @Test
    void validate_clientInfoNameWithRealm_accepted() throws Exception {
        AuthenticatedPrincipal principal = ACCEPTOR.validate(token(AES256,
                pac().clientInfoName("alice@" + REALM).build(AES256, KDC)));
        assertEquals(DOMAIN_SID + "-1107", principal.userSid().orElseThrow());
    }

    @Test
    void validate_pacForOtherAccount_refused() {
        assertRefused(token(AES256, pac().accountName("administrator").build(AES256, KDC)));
    }

    /** kinit john.doe@REALM for the account jdoe: the KDC's UPN_DNS_INFO ties the typed name to the account. */
    @Test
    void validate_upnPrefixOtherThanAccountName_acceptedWithTheAccountName() throws Exception {
        byte[] pac = new PacBuilder("jdoe", AUTH).clientInfoName("john.doe").domainSid(DOMAIN_SID).userRid(1110)
                .upnDnsInfo("john.doe@ad.test", "jdoe").build(AES256, KDC);
        byte[] token = new TicketForger(REALM, SERVICE, AES256, 3).client("john.doe", REALM)
                .times(AUTH, NOW.plus(Duration.ofHours(9))).sessionKeyType(EncryptionType.AES256_CTS_HMAC_SHA1_96)
                .pac(pac).forge().apReq().ctime(NOW).spnegoToken();
        AuthenticatedPrincipal principal = ACCEPTOR.validate(token);
        assertEquals("john.doe", principal.name());
        assertEquals("jdoe", principal.accountName().orElseThrow());
        assertEquals(DOMAIN_SID + "-1110", principal.userSid().orElseThrow());
    }

    /** A UPN_DNS_INFO that names someone else than the ticket's client does not excuse another account. */
    @Test
    void validate_pacForOtherAccountWithUpnOfAnotherClient_refused() {
        assertRefused(token(AES256, pac().accountName("administrator").upnDnsInfo("administrator@ad.test", "administrator")
                .build(AES256, KDC)));
        assertRefused(token(AES256, pac().accountName("administrator").upnDnsInfo("alice@ad.test", "bob").build(AES256, KDC)));
    }

    /** kinit -E carol@corp.example: an enterprise name (RFC 6806), accepted with its UPN as the name. */
    @Test
    void validate_enterprisePrincipal_acceptedAsUpn() throws Exception {
        byte[] pac = new PacBuilder("carol", AUTH).clientInfoName("carol@corp.example").domainSid(DOMAIN_SID).userRid(1111)
                .upnDnsInfo("carol@corp.example", "carol").build(AES256, KDC);
        byte[] token = new TicketForger(REALM, SERVICE, AES256, 3).enterpriseClient("carol@corp.example", REALM)
                .times(AUTH, NOW.plus(Duration.ofHours(9))).sessionKeyType(EncryptionType.AES256_CTS_HMAC_SHA1_96)
                .pac(pac).forge().apReq().ctime(NOW).spnegoToken();
        AuthenticatedPrincipal principal = ACCEPTOR.validate(token);
        assertEquals("carol@corp.example", principal.enterpriseName().orElseThrow());
        assertEquals("carol@corp.example@" + REALM, principal.principal());
        assertEquals("carol", principal.accountName().orElseThrow());
    }

    /** An ordinary (NT-PRINCIPAL) name with '@' in it stays refused: only NT-ENTERPRISE carries a UPN. */
    @Test
    void validate_atSignInOrdinaryName_refused() {
        byte[] token = new TicketForger(REALM, SERVICE, AES256, 3).client("carol@corp.example", REALM)
                .times(AUTH, NOW.plus(Duration.ofHours(9))).sessionKeyType(EncryptionType.AES256_CTS_HMAC_SHA1_96)
                .forge().apReq().ctime(NOW).spnegoToken();
        assertEquals(org.autoenroll.api.ErrorCode.INVALID_REMOTE_USER,
                org.junit.jupiter.api.Assertions.assertThrows(org.autoenroll.api.EnrollmentException.class,
                        () -> ACCEPTOR.validate(token)).code());
    }

    @Test
    void validate_pacClientInfoForOtherClient_refused() {
        assertRefused(token(AES256, pac().clientInfoName("administrator").build(AES256, KDC)));
    }

    @Test
    void validate_pacOfOtherAuthtime_refused() {
        assertRefused(token(AES256, pac().authTime(AUTH.minusSeconds(60)).build(AES256, KDC)));
    }

    @Test
    void validate_pacWithAlteredServerSignature_refused() {
        byte[] pac = pac().build(AES256, KDC);
        pac[PacBuilder.serverSignatureOffset(pac)] ^= 0x01;
        assertRefused(token(AES256, pac));
    }

    @Test
    void validate_pacSignedWithOtherKey_refused() {
        EncryptionKey other = TicketForger.keyFromPassword(SERVICE + "@" + REALM, "other",
                EncryptionType.AES256_CTS_HMAC_SHA1_96);
        assertRefused(token(AES256, pac().build(other, KDC)));
    }

    @Test
    void validate_pacSignedWithRc4InAesTicket_refused() {
        assertRefused(token(AES256, pac().build(RC4, KDC)));
    }

    @Test
    void validate_twoPacs_refused() {
        byte[] pac = pac().build(AES256, KDC);
        var data = TicketForger.ifRelevant(pac);
        data.addElements(TicketForger.ifRelevant(pac).getElements().get(0));
        byte[] token = new TicketForger(REALM, SERVICE, AES256, 3).times(AUTH, NOW.plus(Duration.ofHours(9)))
                .authorizationData(data).forge().apReq().ctime(NOW).spnegoToken();
        assertRefused(token);
    }

    @Test
    void validate_everyTruncatedPac_authenticationErrorOnly() {
        byte[] pac = pac().build(AES256, KDC);
        for (int length = 0; length < pac.length; length++) {
            assertRefused(token(AES256, Arrays.copyOf(pac, length)));
        }
    }

    @Test
    void validate_windowsPacInForgedTicket_sids() throws Exception {
        // the real Windows PAC of PacTest, in a ticket made with its member key, client and authtime
        String realm = "WIN2K3.THINKER.LOCAL";
        Instant auth = Instant.ofEpochSecond(PacTest.WINDOWS_AUTHTIME);
        KerberosAcceptor acceptor = KerberosAcceptor.builder()
                .addRealm(realm, Keytabs.fromKeys("host/w2003final@" + realm, 1, PacTest.WINDOWS_MEMBER_KEY))
                .allowRc4(realm)
                .clock(Clock.fixed(auth.plusSeconds(60), ZoneOffset.UTC))
                .build();
        byte[] token = new TicketForger(realm, "host/w2003final", PacTest.WINDOWS_MEMBER_KEY, 1)
                .client("w2003final$", realm).times(auth, auth.plus(Duration.ofHours(10)))
                .pac(PacTest.WINDOWS_PAC).forge().apReq().ctime(auth.plusSeconds(60)).spnegoToken();
        AuthenticatedPrincipal principal = acceptor.validate(token);
        assertEquals(PacTest.WINDOWS_DOMAIN + "-1005", principal.userSid().orElseThrow());
        assertEquals(List.of(PacTest.WINDOWS_DOMAIN + "-516", "S-1-5-9"), principal.groupSids());
    }

    private static void assertRefused(byte[] token) {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> ACCEPTOR.validate(token));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
    }
}
