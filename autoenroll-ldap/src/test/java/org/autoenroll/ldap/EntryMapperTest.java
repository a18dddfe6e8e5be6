package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SubjectType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntryMapperTest {
    private static final String DN = "CN=Alice,CN=Users,DC=example,DC=com";

    private static DirectoryEntry map(Attribute... attributes) throws EnrollmentException {
        List<Attribute> all = new ArrayList<>(List.of(attributes));
        if (all.stream().noneMatch(a -> a.getBaseName().equalsIgnoreCase("sAMAccountName"))) {
            all.add(new Attribute("sAMAccountName", "alice"));
        }
        return EntryMapper.map(new SearchResultEntry(DN, all));
    }

    @Test
    void map_noSamAccountName_throwsNoValidUser() {
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> EntryMapper.map(new SearchResultEntry(DN, List.of(new Attribute("cn", "Alice")))));
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD, e.code());
    }

    @Test
    void map_oversizedSamAccountName_throwsNoValidUser() {
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> map(new Attribute("sAMAccountName", "a".repeat(EntryMapper.MAX_NAME_CHARS + 1))));
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD, e.code());
    }

    @Test
    void map_oversizedMail_isSkipped() throws Exception {
        assertNull(map(new Attribute("mail", "a".repeat(EntryMapper.MAX_NAME_CHARS + 1) + "@example.com")).mail());
    }

    @Test
    void map_proxyAddresses_keepsOnlySmtpWithoutPrefix() throws Exception {
        DirectoryEntry e = map(new Attribute("proxyAddresses", "SMTP:Alice@example.com", "smtp:a@example.com",
                "SmTp:mixed@example.com", "X400:c=US;a= ;", "sip:alice@example.com", "smtp:", "smtpx@example.com",
                "smtp:" + "x".repeat(EntryMapper.MAX_PROXY_ADDRESS_CHARS)));
        assertEquals(List.of("Alice@example.com", "a@example.com", "mixed@example.com"), e.smtpAddresses());
    }

    @Test
    void map_tooManyProxyAddresses_areCapped() throws Exception {
        String[] values = new String[EntryMapper.MAX_PROXY_ADDRESSES + 10];
        for (int i = 0; i < values.length; i++) {
            values[i] = "smtp:u" + i + "@example.com";
        }
        assertEquals(EntryMapper.MAX_PROXY_ADDRESSES, map(new Attribute("proxyAddresses", values)).smtpAddresses().size());
    }

    @Test
    void map_rangedMemberOf_isRead() throws Exception {
        DirectoryEntry e = map(new Attribute("memberOf;range=0-1", "CN=A,DC=example,DC=com", "CN=B,DC=example,DC=com"));
        assertEquals(List.of("CN=A,DC=example,DC=com", "CN=B,DC=example,DC=com"), e.groups());
    }

    @ParameterizedTest
    @CsvSource({"512,false", "514,true", "2,true", "66048,false", "66050,true", "0,false", "garbage,true", "'',true"})
    void map_userAccountControl_setsDisabledFromBit2(String value, boolean disabled) throws Exception {
        assertEquals(disabled, map(new Attribute("userAccountControl", value)).disabled());
    }

    @Test
    void map_noUserAccountControl_isEnabled() throws Exception {
        assertFalse(map().disabled());
    }

    @Test
    void map_certificates_bothFormsOversizedSkippedDuplicatesMerged() throws Exception {
        byte[] a = {0x30, 0x01, 0x01};
        byte[] b = {0x30, 0x01, 0x02};
        byte[] huge = new byte[EntryMapper.MAX_CERTIFICATE_BYTES + 1];
        DirectoryEntry e = map(new Attribute("userCertificate", a, huge), new Attribute("userCertificate;binary", a, b));
        assertEquals(2, e.certificates().size());
        assertTrue(java.util.Arrays.equals(a, e.certificates().get(0)));
        assertTrue(java.util.Arrays.equals(b, e.certificates().get(1)));
    }

    @Test
    void map_attributeNamesInOtherCase_areRead() throws Exception {
        DirectoryEntry e = map(new Attribute("MAIL", "alice@example.com"), new Attribute("CN", "Alice"),
                new Attribute("USERPRINCIPALNAME", "alice@example.com"));
        assertEquals("alice@example.com", e.mail());
        assertEquals("Alice", e.commonName());
        assertEquals("alice@example.com", e.userPrincipalName());
    }

    @ParameterizedTest
    @CsvSource({
        // userAccountControl, msDS-User-Account-Control-Computed ("" = absent), lockoutTime ("" = absent), disabled
        "512, '', '', false",
        "514, '', '', true",
        "528, '', '', true",
        "512, 16, '', true",
        "512, 0, 133000000000000000, false",
        "512, '', 133000000000000000, true",
        "512, '', 0, false",
        "512, '', garbage, true",
        "512, garbage, 0, true",
        "512, 8388608, '', false",
    })
    void map_lockout_reportedAsDisabled(String uac, String computed, String lockoutTime, boolean disabled) throws Exception {
        List<Attribute> attributes = new ArrayList<>(List.of(new Attribute("userAccountControl", uac)));
        if (!computed.isEmpty()) {
            attributes.add(new Attribute("msDS-User-Account-Control-Computed", computed));
        }
        if (!lockoutTime.isEmpty()) {
            attributes.add(new Attribute("lockoutTime", lockoutTime));
        }
        assertEquals(disabled, map(attributes.toArray(new Attribute[0])).disabled());
    }

    @Test
    void map_objectSidDnsHostNameAccountExpires_mapped() throws Exception {
        DirectoryEntry e = EntryMapper.map(new SearchResultEntry(DN, List.of(new Attribute("sAMAccountName", "WS01$"),
                new Attribute("objectSid", WindowsSid.parse("S-1-5-21-1-2-3-1105")),
                new Attribute("dNSHostName", "ws01.example.com"),
                new Attribute("accountExpires", "133000000000000000"))), SubjectType.COMPUTER);
        assertEquals(SubjectType.COMPUTER, e.type());
        assertEquals("S-1-5-21-1-2-3-1105", e.objectSid().orElseThrow());
        assertEquals("ws01.example.com", e.dnsHostName().orElseThrow());
        assertEquals(Instant.parse("2022-06-18T04:26:40Z"), e.accountExpires().orElseThrow());
    }

    @Test
    void map_userDefaults_noSidNoHostNeverExpires() throws Exception {
        DirectoryEntry e = map(new Attribute("accountExpires", "9223372036854775807"));
        assertEquals(SubjectType.USER, e.type());
        assertTrue(e.objectSid().isEmpty());
        assertTrue(e.dnsHostName().isEmpty());
        assertTrue(e.accountExpires().isEmpty());
    }

    @Test
    void map_objectSidNotASid_isAbsent() throws Exception {
        assertTrue(map(new Attribute("objectSid", new byte[] {1, 5, 0})).objectSid().isEmpty());
    }

    @Test
    void map_accountExpiresGarbage_failsClosedAsExpired() throws Exception {
        assertEquals(FileTimes.FILETIME_EPOCH, map(new Attribute("accountExpires", "x".repeat(100))).accountExpires().orElseThrow());
    }
}
