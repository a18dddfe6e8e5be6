package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.kerberos.testkit.PacBuilder;
import org.autoenroll.kerberos.testkit.TicketForger;
import org.junit.jupiter.api.Test;

/** The PAC parser and checks alone, on a real Windows PAC and on PACs from {@link PacBuilder}. */
class PacTest {
    /*
     * A PAC issued by a Windows Server 2003 DC for the computer account w2003final$ of
     * WIN2K3.THINKER.LOCAL, with its authtime and the member (service) RC4 key. Source: MIT krb5,
     * src/lib/krb5/krb/t_pac.c (saved_pac, member_keyblock, authtime, user; "copied (with
     * permission) from Samba torture regression test suite, created by Andrew Bartlett"),
     * https://github.com/krb5/krb5/blob/master/src/lib/krb5/krb/t_pac.c
     */
    static final byte[] WINDOWS_PAC = HexFormat.of().parseHex(
            "040000000000000001000000d801000048000000000000000a0000002000000020020000000000000600000014000000"
            + "40020000000000000700000014000000580200000000000001100800ccccccccc8010000000000000000020030dfa6cb"
            + "4f7dc501ffffffffffffff7fffffffffffffff7fc03c4e596273c501c03c4e596273c501ffffffffffffff7f16001600"
            + "040002000000000008000200000000000c00020000000000100002000000000014000200000000001800020065000000"
            + "ed03000004020000010000001c0002002000000000000000000000000000000000000000140016002000020016001800"
            + "240002002800020000000000000000000021000000000000000000000000000000000000000000000000000000000000"
            + "010000002c0002000000000000000000000000000b000000000000000b00000057003200300030003300460049004e00"
            + "41004c002400000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "00000000000000000000000000000000000000000100000004020000070000000b000000000000000a00000057003200"
            + "300030003300460049004e0041004c000c000000000000000b000000570049004e0032004b0033005400480049004e00"
            + "4b00000004000000010400000000000515000000112fafb590041bec503becdc01000000300002000700000001000000"
            + "01010000000000050900000000000000806628ea3780c501160077003200300030003300660069006e0061006c002400"
            + "76ffffff37d5b0f724f0d6d4ec09865aa0e8c3a90000000076ffffffb4d8b8fe83b3133ffc5c41ade26483e000000000");
    static final EncryptionKey WINDOWS_MEMBER_KEY = new EncryptionKey(EncryptionType.ARCFOUR_HMAC,
            HexFormat.of().parseHex("d217faeae5e6b5f95ccc94077ab8a5fc"));
    static final long WINDOWS_AUTHTIME = 1120440609L;
    static final String WINDOWS_DOMAIN = "S-1-5-21-3048156945-3961193616-3706469200";

    private static final Instant AUTH = Instant.parse("2030-01-01T11:00:00Z");
    private static final EncryptionKey SERVICE_KEY =
            TicketForger.keyFromPassword("HTTP/localhost@PAC.TEST", "svc-pw", EncryptionType.AES256_CTS_HMAC_SHA1_96);
    private static final EncryptionKey KDC_KEY =
            TicketForger.keyFromPassword("krbtgt/PAC.TEST@PAC.TEST", "kdc-pw", EncryptionType.AES256_CTS_HMAC_SHA1_96);

    @Test
    void verify_windowsPacFromMitTestVectors_sidsAndAccount() throws Exception {
        Pac.Logon logon = Pac.verify(WINDOWS_PAC, WINDOWS_MEMBER_KEY, "w2003final$", "WIN2K3.THINKER.LOCAL", WINDOWS_AUTHTIME);
        assertEquals("W2003FINAL$", logon.accountName());
        assertEquals(WINDOWS_DOMAIN, logon.domainSid());
        assertEquals(WINDOWS_DOMAIN + "-1005", logon.userSid());
        // primary group 516 (Domain Controllers) = the one GroupId; ExtraSid S-1-5-9 (Enterprise Domain Controllers)
        assertEquals(List.of(WINDOWS_DOMAIN + "-516", "S-1-5-9"), logon.groupSids());
    }

    @Test
    void verify_windowsPacOtherKey_refused() {
        EncryptionKey other = new EncryptionKey(EncryptionType.ARCFOUR_HMAC, new byte[16]);
        assertRefused(() -> Pac.verify(WINDOWS_PAC, other, "w2003final$", "WIN2K3.THINKER.LOCAL", WINDOWS_AUTHTIME));
    }

    @Test
    void verify_windowsPacOtherAuthtime_refused() {
        assertRefused(() -> Pac.verify(WINDOWS_PAC, WINDOWS_MEMBER_KEY, "w2003final$", "WIN2K3.THINKER.LOCAL", WINDOWS_AUTHTIME + 1));
    }

    @Test
    void verify_windowsPacOtherClient_refused() {
        assertRefused(() -> Pac.verify(WINDOWS_PAC, WINDOWS_MEMBER_KEY, "alice", "PAC.TEST", WINDOWS_AUTHTIME));
    }

    @Test
    void verify_builtPac_sidsOfGroupsAndExtraSids() throws Exception {
        byte[] pac = new PacBuilder("alice", AUTH).domainSid("S-1-5-21-1-2-3").userRid(1105).addGroup(512)
                .addGroup(1120).addExtraSid("S-1-18-1").build(SERVICE_KEY, KDC_KEY);
        Pac.Logon logon = Pac.verify(pac, SERVICE_KEY, "alice", "PAC.TEST", AUTH.getEpochSecond());
        assertEquals("S-1-5-21-1-2-3-1105", logon.userSid());
        assertEquals(List.of("S-1-5-21-1-2-3-513", "S-1-5-21-1-2-3-512", "S-1-5-21-1-2-3-1120", "S-1-18-1"),
                logon.groupSids());
    }

    @Test
    void verify_aes128Key_verified() throws Exception {
        EncryptionKey aes128 = TicketForger.keyFromPassword("HTTP/localhost@PAC.TEST", "svc-pw",
                EncryptionType.AES128_CTS_HMAC_SHA1_96);
        byte[] pac = new PacBuilder("alice", AUTH).build(aes128, KDC_KEY);
        assertEquals("alice", Pac.verify(pac, aes128, "alice", "PAC.TEST", AUTH.getEpochSecond()).accountName());
        // an AES128 signature presented to the AES256 key: checksum type mismatch
        assertRefused(() -> Pac.verify(pac, SERVICE_KEY, "alice", "PAC.TEST", AUTH.getEpochSecond()));
    }

    @Test
    void verify_accountNameCaseDiffers_accepted() throws Exception {
        byte[] pac = new PacBuilder("Alice", AUTH).build(SERVICE_KEY, KDC_KEY);
        assertEquals("Alice", Pac.verify(pac, SERVICE_KEY, "alice", "PAC.TEST", AUTH.getEpochSecond()).accountName());
    }

    @Test
    void verify_otherAccountName_refused() {
        byte[] pac = new PacBuilder("alice", AUTH).accountName("administrator").build(SERVICE_KEY, KDC_KEY);
        assertRefused(() -> Pac.verify(pac, SERVICE_KEY, "alice", "PAC.TEST", AUTH.getEpochSecond()));
    }

    @Test
    void verify_otherClientInfoName_refused() {
        byte[] pac = new PacBuilder("alice", AUTH).clientInfoName("bob").build(SERVICE_KEY, KDC_KEY);
        assertRefused(() -> Pac.verify(pac, SERVICE_KEY, "alice", "PAC.TEST", AUTH.getEpochSecond()));
    }

    @Test
    void verify_anyByteFlipped_refusedOrSameResult() throws Exception {
        // a flip anywhere outside the signature fields breaks the server signature
        byte[] pac = new PacBuilder("alice", AUTH).addGroup(512).build(SERVICE_KEY, KDC_KEY);
        int sig = PacBuilder.serverSignatureOffset(pac);
        for (int i = 0; i < pac.length; i++) {
            byte[] altered = pac.clone();
            altered[i] ^= 0x01;
            try {
                Pac.verify(altered, SERVICE_KEY, "alice", "PAC.TEST", AUTH.getEpochSecond());
                // only the KDC signature (not verifiable here) and padding may change unnoticed
                if (i >= sig && i < sig + 12) {
                    throw new AssertionError("altered server signature accepted at " + i);
                }
            } catch (EnrollmentException e) {
                assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
            }
        }
    }

    @Test
    void verify_alteredServerSignature_refused() {
        byte[] pac = new PacBuilder("alice", AUTH).build(SERVICE_KEY, KDC_KEY);
        pac[PacBuilder.serverSignatureOffset(pac) + 5] ^= 0x40;
        assertRefused(() -> Pac.verify(pac, SERVICE_KEY, "alice", "PAC.TEST", AUTH.getEpochSecond()));
    }

    @Test
    void verify_everyTruncation_authenticationErrorOnly() {
        for (byte[] pac : List.of(WINDOWS_PAC, new PacBuilder("alice", AUTH).addExtraSid("S-1-18-1")
                .build(SERVICE_KEY, KDC_KEY))) {
            for (int length = 0; length < pac.length; length++) {
                byte[] cut = Arrays.copyOf(pac, length);
                assertRefused(() -> Pac.verify(cut, SERVICE_KEY, "alice", "PAC.TEST", AUTH.getEpochSecond()));
                assertRefused(() -> Pac.verify(cut, WINDOWS_MEMBER_KEY, "w2003final$", "WIN2K3.THINKER.LOCAL", WINDOWS_AUTHTIME));
            }
        }
    }

    @Test
    void parse_hugeCounts_refused() {
        byte[] pac = WINDOWS_PAC.clone();
        pac[0] = (byte) 0xFF; // buffer count 255
        assertRefused(() -> Pac.parse(pac));
        byte[] groups = WINDOWS_PAC.clone();
        // GroupCount of the logon info (0x48 + 16 header + 4 referent + 48 times + 48 strings + 4 + 8)
        int groupCount = 0x48 + 16 + 4 + 48 + 48 + 4 + 8;
        assertEquals(1, groups[groupCount]);
        groups[groupCount + 3] = 0x7F;
        assertRefused(() -> Pac.parse(groups));
    }

    @Test
    void formatSid_largeAuthority_hex() {
        assertEquals("S-1-0x010000000000-5", Pac.formatSid(1, 1L << 40, new long[] {5}));
        assertEquals("S-1-5-21-4294967295", Pac.formatSid(1, 5, new long[] {21, 4294967295L}));
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable call) {
        EnrollmentException e = assertThrows(EnrollmentException.class, call);
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
    }
}
