package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.kerberos.testkit.GssTokens;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.autoenroll.kerberos.testkit.ServiceTicket;
import org.autoenroll.kerberos.testkit.TicketForger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per reason to refuse a token: each has exactly one fault, must give
 * AUTHENTICATION_ERROR, and the details of all cases must differ (each names its cause).
 */
class KerberosAcceptorFaultsTest {
    private static final String REALM = TestRealm.realm();
    private static final String SERVICE_WITH_REALM = TestRealm.SERVICE + "@" + REALM;

    /** One faulty token and the acceptor it is shown to; {@code call} runs validate. */
    private record Fault(String name, Callable<Object> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static KerberosAcceptor acceptor() {
        return KerberosAcceptor.builder().addRealm(REALM, TestRealm.keytab()).build();
    }

    private static KerberosAcceptor acceptor(Clock clock) {
        return KerberosAcceptor.builder().addRealm(REALM, TestRealm.keytab()).clock(clock).build();
    }

    private static KerberosAcceptor acceptor(byte[] keytab) {
        return KerberosAcceptor.builder().addRealm(REALM, keytab).build();
    }

    private static ServiceTicket ticket() {
        return TestRealm.kdc().serviceTicket(TestRealm.USER, TestRealm.PASSWORD, TestRealm.SERVICE);
    }

    private static KeytabEntry realKey(EncryptionType type) {
        return Keytabs.entry(TestRealm.keytab(), TestRealm.SERVICE, type);
    }

    private static Fault fault(String name, KerberosAcceptor acceptor, byte[] token) {
        return new Fault(name, () -> acceptor.validate(token));
    }

    static Stream<Fault> faults() throws Exception {
        KeytabEntry aes256 = realKey(EncryptionType.AES256_CTS_HMAC_SHA1_96);
        KeytabEntry aes128 = realKey(EncryptionType.AES128_CTS_HMAC_SHA1_96);
        int kvno = aes256.getKvno();
        Instant now = Instant.now();
        byte[] des3Keytab = Keytabs.fromPassword(SERVICE_WITH_REALM, "x", kvno, EncryptionType.DES3_CBC_SHA1,
                EncryptionType.DES_CBC_MD5, EncryptionType.ARCFOUR_HMAC);
        KerberosAcceptor weakAcceptor = KerberosAcceptor.builder().addRealm(REALM, Keytabs.fromKeys(SERVICE_WITH_REALM,
                kvno, aes256.getKey(), aes128.getKey(),
                TicketForger.keyFromPassword(SERVICE_WITH_REALM, "x", EncryptionType.DES3_CBC_SHA1),
                TicketForger.keyFromPassword(SERVICE_WITH_REALM, "x", EncryptionType.DES_CBC_MD5),
                TicketForger.keyFromPassword(SERVICE_WITH_REALM, "x", EncryptionType.ARCFOUR_HMAC))).build();

        ServiceTicket issued = ticket();
        KerberosAcceptor replayAcceptor = acceptor();
        byte[] replayed = ticket().apReq().spnegoToken();
        replayAcceptor.validate(replayed);

        byte[] spnegoResp = GssTokens.tlv(0xA1, GssTokens.tlv(0x30, GssTokens.tlv(0xA0, GssTokens.tlv(0x0A, new byte[] {1}))));
        byte[] otherMech = GssTokens.tlv(0x60, GssTokens.tlv(0x06, new byte[] {0x2B, 0x06, 0x01, 0x05, 0x05, 0x0E}), new byte[] {1, 0, 0x6E, 0});

        return Stream.of(
                fault("empty token", acceptor(), new byte[0]),
                fault("oversized token", acceptor(), new byte[KerberosAcceptor.MAX_TOKEN_BYTES + 1]),
                fault("garbage", acceptor(), "hello, world".getBytes()),
                fault("raw NTLM", acceptor(), GssTokens.ntlmNegotiate()),
                fault("NTLM in SPNEGO", acceptor(), GssTokens.spnegoInit(GssTokens.ntlmNegotiate(), GssTokens.NTLM_OID)),
                fault("SPNEGO without mechToken", acceptor(), GssTokens.spnegoInit(null, GssTokens.KRB5_OID)),
                fault("SPNEGO continuation", acceptor(), spnegoResp),
                fault("other GSS mechanism", acceptor(), otherMech),
                fault("bare AP-REQ", acceptor(), ticket().apReq().apReq()),
                fault("replay", replayAcceptor, replayed),
                fault("client clock ahead", acceptor(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))),
                        ticket().apReq().spnegoToken()),
                fault("client clock behind", acceptor(), ticket().apReq().ctime(now.minus(Duration.ofMinutes(10))).spnegoToken()),
                fault("ticket expired", acceptor(Clock.offset(Clock.systemUTC(), Duration.ofDays(30))),
                        ticket().apReq().ctime(now.plus(Duration.ofDays(30))).spnegoToken()),
                fault("ticket not yet valid", acceptor(Clock.offset(Clock.systemUTC(), Duration.ofDays(-1))),
                        ticket().apReq().ctime(now.minus(Duration.ofDays(1))).spnegoToken()),
                fault("wrong keytab", acceptor(Keytabs.fromPassword(SERVICE_WITH_REALM, "not-the-kdc-key", kvno,
                        EncryptionType.AES256_CTS_HMAC_SHA1_96, EncryptionType.AES128_CTS_HMAC_SHA1_96)),
                        ticket().apReq().spnegoToken()),
                fault("kvno mismatch", acceptor(Keytabs.withKvno(TestRealm.keytab(), kvno + 5)), ticket().apReq().spnegoToken()),
                fault("enctype not in keytab", acceptor(Keytabs.fromKeys(SERVICE_WITH_REALM, kvno,
                        (issued.ticket().getEncryptedEncPart().getEType() == EncryptionType.AES256_CTS_HMAC_SHA1_96
                                ? aes128 : aes256).getKey())), issued.apReq().spnegoToken()),
                fault("no key for principal", acceptor(Keytabs.fromPassword("HTTP/elsewhere@" + REALM, "p", 1,
                        EncryptionType.AES256_CTS_HMAC_SHA1_96)), ticket().apReq().spnegoToken()),
                fault("realm without keytab", KerberosAcceptor.builder().addRealm("OTHER.TEST", Keytabs.fromPassword(
                        "HTTP/localhost@OTHER.TEST", "p", 1, EncryptionType.AES256_CTS_HMAC_SHA1_96)).build(),
                        ticket().apReq().spnegoToken()),
                fault("user-to-user", acceptor(), ticket().apReq().useSessionKey(true).spnegoToken()),
                fault("no GSS checksum", acceptor(), ticket().apReq().checksum(0, null).spnegoToken()),
                fault("non-GSS checksum type", acceptor(), ticket().apReq().checksum(16, new byte[12]).spnegoToken()),
                fault("short GSS checksum", acceptor(), ticket().apReq().checksum(0x8003, new byte[16]).spnegoToken()),
                fault("authenticator of another client", acceptor(),
                        ticket().apReq().authenticatorClient("bob", REALM).spnegoToken()),
                fault("authenticator under wrong key", acceptor(), ticket().apReq()
                        .authenticatorKey(EncryptionHandler.random2Key(EncryptionType.AES256_CTS_HMAC_SHA1_96)).spnegoToken()),
                fault("3DES ticket", weakAcceptor, forged(des3Keytab, EncryptionType.DES3_CBC_SHA1, kvno)),
                fault("DES ticket", weakAcceptor, forged(des3Keytab, EncryptionType.DES_CBC_MD5, kvno)),
                fault("RC4 ticket without allowRc4", weakAcceptor, forged(des3Keytab, EncryptionType.ARCFOUR_HMAC, kvno)),
                fault("RC4 session key in AES ticket", acceptor(), new TicketForger(REALM, TestRealm.SERVICE,
                        aes256.getKey(), kvno).sessionKeyType(EncryptionType.ARCFOUR_HMAC).forge().apReq().spnegoToken()));
    }

    private static byte[] forged(byte[] keytab, EncryptionType type, int kvno) {
        KeytabEntry entry = Keytabs.entry(keytab, TestRealm.SERVICE, type);
        return new TicketForger(REALM, TestRealm.SERVICE, entry.getKey(), kvno)
                .sessionKeyType(EncryptionType.AES256_CTS_HMAC_SHA1_96).forge().apReq().spnegoToken();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void validate_faultyToken_authenticationError(Fault fault) {
        EnrollmentException e = assertThrows(EnrollmentException.class, fault.call()::call);
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code(), e.getMessage());
    }

    @Test
    void validate_eachFault_givesItsOwnDetail() throws Exception {
        Map<String, String> faultByDetail = new HashMap<>();
        for (Fault fault : faults().toList()) {
            EnrollmentException e = assertThrows(EnrollmentException.class, fault.call()::call);
            String detail = e.detail();
            // NTLM raw/in SPNEGO name the same cause on purpose, as do the DES and 3DES refusals' fix
            String previous = faultByDetail.putIfAbsent(detail, fault.name());
            if (previous != null && !(previous.contains("NTLM") && fault.name().contains("NTLM"))) {
                throw new AssertionError("'" + previous + "' and '" + fault.name() + "' give the same detail: " + detail);
            }
        }
    }

    /** Real AD exports RC4 keys only for accounts without msDS-SupportedEncryptionTypes: the refusal says what to change. */
    @Test
    void validate_aesTicketWithRc4OnlyKeytab_namesTheAccountAttributeToSet() {
        KeytabEntry aes256 = realKey(EncryptionType.AES256_CTS_HMAC_SHA1_96);
        byte[] rc4Only = Keytabs.fromPassword(SERVICE_WITH_REALM, "x", aes256.getKvno(), EncryptionType.ARCFOUR_HMAC);
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(REALM, rc4Only).allowRc4(REALM).build();
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> acceptor.validate(ticket().apReq().spnegoToken()));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
        assertTrue(e.detail().contains("msDS-SupportedEncryptionTypes"), e.detail());
    }

    @Test
    void validate_emptyClientNameComponent_invalidRemoteUser() {
        KeytabEntry aes256 = realKey(EncryptionType.AES256_CTS_HMAC_SHA1_96);
        byte[] token = new TicketForger(REALM, TestRealm.SERVICE, aes256.getKey(), aes256.getKvno())
                .client("alice/", REALM).forge().apReq().spnegoToken();
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> acceptor().validate(token));
        assertEquals(ErrorCode.INVALID_REMOTE_USER, e.code());
    }

    @Test
    void validate_clientRealmMismatchInAuthenticator_authenticationError() {
        byte[] token = ticket().apReq().authenticatorClient(TestRealm.USER, "OTHER.TEST").spnegoToken();
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> acceptor().validate(token));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
    }

}
