package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AccessRule.Right;
import org.autoenroll.ldap.testkit.SecurityDescriptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecurityDescriptorsTest {
    private static final String STAFF = "S-1-5-21-1-2-3-1105";
    private static final String BOB = "S-1-5-21-1-2-3-1107";
    private static final String ADMINS = "S-1-5-21-1-2-3-512";

    @Test
    void guidBytes_firstThreeFieldsLittleEndian() {
        assertArrayEquals(HexFormat.of().parseHex("68c9100efb78d21190d400c04f79dc55"),
                SecurityDescriptors.guidBytes(SecurityDescriptors.ENROLL_GUID));
        assertArrayEquals(HexFormat.of().parseHex("c28c5ba0bc170248a710e7c15ab866a2"),
                SecurityDescriptors.guidBytes(SecurityDescriptors.AUTOENROLL_GUID));
    }

    @Test
    void enrollmentRules_objectAces_allowAndDenyByRight() {
        byte[] sd = SecurityDescriptorBuilder.create().owner(ADMINS)
                .deny(BOB, Right.ENROLL)
                .allow(STAFF, Right.ENROLL).allow(STAFF, Right.AUTOENROLL)
                .build();
        assertEquals(List.of(AccessRule.deny(BOB, Right.ENROLL), AccessRule.allow(STAFF, Right.ENROLL),
                AccessRule.allow(STAFF, Right.AUTOENROLL)), SecurityDescriptors.enrollmentRules(sd));
    }

    @Test
    void enrollmentRules_plainAcesWithControlAccessOrFullControl_grantBoth() {
        byte[] sd = SecurityDescriptorBuilder.create()
                .plain(true, SecurityDescriptorBuilder.FULL_CONTROL_MASK, ADMINS)
                .plain(true, SecurityDescriptors.GENERIC_ALL, STAFF)
                .plain(false, 0x100, BOB)
                .build();
        assertEquals(List.of(AccessRule.allow(ADMINS, Right.ENROLL), AccessRule.allow(ADMINS, Right.AUTOENROLL),
                AccessRule.allow(STAFF, Right.ENROLL), AccessRule.allow(STAFF, Right.AUTOENROLL),
                AccessRule.deny(BOB, Right.ENROLL), AccessRule.deny(BOB, Right.AUTOENROLL)),
                SecurityDescriptors.enrollmentRules(sd));
    }

    @Test
    void explicitAces_leaveOutInheritedOnes_inAceOrder() {
        byte[] explicit = SecurityDescriptorBuilder.create().deny(BOB, Right.ENROLL).allow(STAFF, Right.ENROLL).build();
        byte[] asStored = SecurityDescriptorBuilder.create().owner(ADMINS).deny(BOB, Right.ENROLL).allow(STAFF, Right.ENROLL)
                .objectAce(0x05, 0x10, 0x100, null, ADMINS) // INHERITED_ACE, as a directory adds from the parent
                .build();
        List<String> aces = SecurityDescriptors.explicitAces(asStored);
        assertEquals(2, aces.size());
        assertEquals(SecurityDescriptors.explicitAces(explicit), aces);
        assertEquals("06", aces.get(0).substring(0, 2), "the deny object ACE first");
        assertEquals(List.of(), SecurityDescriptors.explicitAces(with(explicit, 2, 0)), "no DACL present: none");
        assertThrows(IllegalArgumentException.class, () -> SecurityDescriptors.explicitAces(Arrays.copyOf(explicit, 30)));
    }

    @Test
    void enrollmentRules_objectAceWithoutObjectType_isEveryExtendedRight() {
        byte[] sd = SecurityDescriptorBuilder.create().objectAce(0x05, 0, 0x100, null, STAFF).build();
        assertEquals(List.of(AccessRule.allow(STAFF, Right.ENROLL), AccessRule.allow(STAFF, Right.AUTOENROLL)),
                SecurityDescriptors.enrollmentRules(sd));
    }

    @Test
    void enrollmentRules_grantNothing_readOnlyOtherGuidNoControlAccessInheritOnlyAudit() {
        byte[] otherGuid = SecurityDescriptors.guidBytes("00299570-246d-11d0-a768-00aa006e0529"); // User-Force-Change-Password
        byte[] sd = SecurityDescriptorBuilder.create()
                .plain(true, SecurityDescriptorBuilder.READ_MASK, STAFF)
                .objectAce(0x05, 0, 0x100, otherGuid, STAFF)
                .objectAce(0x05, 0, 0x10, SecurityDescriptors.guidBytes(SecurityDescriptors.ENROLL_GUID), STAFF)
                .objectAce(0x05, SecurityDescriptors.INHERIT_ONLY_ACE, 0x100,
                        SecurityDescriptors.guidBytes(SecurityDescriptors.ENROLL_GUID), STAFF)
                .ace(0x02, 0, new byte[] {0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 5, 11, 0, 0, 0}) // SYSTEM_AUDIT_ACE
                .build();
        assertEquals(List.of(), SecurityDescriptors.enrollmentRules(sd));
    }

    @Test
    void enrollmentRules_objectAceWithInheritedObjectType_readsSidAfterBothGuids() {
        byte[] enroll = SecurityDescriptors.guidBytes(SecurityDescriptors.ENROLL_GUID);
        byte[] body = new byte[4 + 4 + 16 + 16 + 12];
        body[1] = 1; // mask 0x100
        body[4] = 3; // both types present
        System.arraycopy(enroll, 0, body, 8, 16);
        System.arraycopy(WindowsSid.parse("S-1-5-11"), 0, body, 40, 12);
        byte[] sd = SecurityDescriptorBuilder.create().ace(0x06, 0, body).build();
        assertEquals(List.of(AccessRule.deny("S-1-5-11", Right.ENROLL)), SecurityDescriptors.enrollmentRules(sd));
    }

    @Test
    void enrollmentRules_noDacl_noRules() {
        byte[] sd = SecurityDescriptorBuilder.create().allow(STAFF, Right.ENROLL).build();
        sd[2] = 0; // SE_DACL_PRESENT cleared
        assertEquals(List.of(), SecurityDescriptors.enrollmentRules(sd));
    }

    static Stream<byte[]> malformed() {
        byte[] good = SecurityDescriptorBuilder.create().allow(STAFF, Right.ENROLL).build();
        return Stream.of(
                new byte[0],
                Arrays.copyOf(good, 19),
                Arrays.copyOf(good, good.length - 1), // SID cut
                with(good, 0, 2), // SD revision
                with(good, 3, 0), // not self-relative
                with(good, 20, 3), // ACL revision
                with(good, 16, 0xf0), // DACL offset beyond the bytes
                with(good, 22, 0xff), // ACL size beyond the bytes
                with(good, 24, 2), // two ACEs announced, one present
                with(good, 30, 0xff), // ACE size beyond the ACL
                with(good, 30, 6), // ACE size below a header and mask
                with(good, 28 + 8 + 4 + 16 + 1, 16), // SID with 16 sub-authorities
                with(good, 28 + 8 + 4 + 16, 2), // SID revision 2
                with(with(good, 24, 0x01), 25, 0x10), // 4097 ACEs: over the bound
                new byte[SecurityDescriptors.MAX_BYTES + 1]);
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void enrollmentRules_malformed_isRefusedWhole(byte[] sd) {
        assertThrows(IllegalArgumentException.class, () -> SecurityDescriptors.enrollmentRules(sd));
    }

    private static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    @Test
    void enrollmentRules_fuzzSeed_isAMeaningfulDescriptor() throws Exception {
        try (java.io.InputStream in = getClass().getResourceAsStream(
                "SecurityDescriptorsFuzzTestInputs/enrollmentRules_anyBytes_onlyIllegalArgument/allow-deny-object-aces")) {
            List<AccessRule> rules = SecurityDescriptors.enrollmentRules(in.readAllBytes());
            String domain = "S-1-5-21-1004367580-1177234307-682021506";
            assertEquals(List.of(AccessRule.deny(domain + "-1107", Right.ENROLL), AccessRule.allow(domain + "-1105", Right.ENROLL),
                    AccessRule.allow(domain + "-1105", Right.AUTOENROLL)), rules);
        }
    }
}
