package org.autoenroll.ldap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AccessRule.Right;

/**
 * Reads the enrollment rights out of a template's {@code nTSecurityDescriptor}: a self-relative
 * SECURITY_DESCRIPTOR (MS-DTYP 2.4.6) whose DACL (2.4.5) holds ACEs (2.4.4). What counts, as AD CS
 * evaluates it (MS-CRTD 4.1.2.4):
 * <ul>
 *   <li>ACCESS_ALLOWED_OBJECT_ACE (0x05) / ACCESS_DENIED_OBJECT_ACE (0x06) with the control-access
 *       right (ADS_RIGHT_DS_CONTROL_ACCESS 0x100) and the ObjectType Certificate-Enrollment
 *       ({@value #ENROLL_GUID}) or Certificate-AutoEnrollment ({@value #AUTOENROLL_GUID}); without an
 *       ObjectType, control access means every extended right, so both;</li>
 *   <li>ACCESS_ALLOWED_ACE (0x00) / ACCESS_DENIED_ACE (0x01) with GENERIC_ALL or control access: both rights.</li>
 * </ul>
 * Inherit-only ACEs do not apply to the template itself and are passed over, as are ACE types that
 * grant no enrollment right (audit, callback, other object types). A descriptor without a DACL
 * yields no rules: nobody may enroll (fail closed; Windows would read a NULL DACL as "everyone").
 *
 * <p>Every offset and length is checked against the bytes given and against the bounds below; any
 * violation rejects the descriptor whole with an {@link IllegalArgumentException} that names the
 * fault but carries no descriptor bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class SecurityDescriptors {
    /** Certificate-Enrollment extended right (MS-CRTD 2.1, rightsGuid). */
    public static final String ENROLL_GUID = "0e10c968-78fb-11d2-90d4-00c04f79dc55";
    /** Certificate-AutoEnrollment extended right. */
    public static final String AUTOENROLL_GUID = "a05b8cc2-17bc-4802-a710-e7c15ab866a2";
    /** Far above any real template's descriptor (a few hundred bytes); AD caps nTSecurityDescriptor at 128 KiB. */
    public static final int MAX_BYTES = 64 * 1024;
    /** ACEs read per DACL. */
    public static final int MAX_ACES = 1_024;

    static final int ACCESS_ALLOWED_ACE = 0x00;
    static final int ACCESS_DENIED_ACE = 0x01;
    static final int ACCESS_ALLOWED_OBJECT_ACE = 0x05;
    static final int ACCESS_DENIED_OBJECT_ACE = 0x06;
    static final int INHERIT_ONLY_ACE = 0x08;
    static final int INHERITED_ACE = 0x10;
    static final int ACE_OBJECT_TYPE_PRESENT = 0x1;
    static final int ACE_INHERITED_OBJECT_TYPE_PRESENT = 0x2;
    static final int ADS_RIGHT_DS_CONTROL_ACCESS = 0x100;
    static final int GENERIC_ALL = 0x10000000;
    static final int SE_DACL_PRESENT = 0x0004;
    static final int SE_SELF_RELATIVE = 0x8000;
    private static final int HEADER_BYTES = 20;
    private static final int ACL_HEADER_BYTES = 8;

    private static final byte[] ENROLL = guidBytes(ENROLL_GUID);
    private static final byte[] AUTOENROLL = guidBytes(AUTOENROLL_GUID);

    private SecurityDescriptors() {
    }

    /**
     * The enrollment rules of the descriptor's DACL, in ACE order, each once.
     *
     * @throws IllegalArgumentException when the descriptor is malformed or over the bounds
     */
    public static List<AccessRule> enrollmentRules(byte[] descriptor) {
        int daclOffset = daclOffset(descriptor);
        return daclOffset == 0 ? List.of() : dacl(descriptor, daclOffset);
    }

    /**
     * The ACEs of the DACL that were set on the object itself (without INHERITED_ACE), each whole
     * (header, mask, SIDs) as a hex string, in ACE order: what a writer of the descriptor compares
     * with what it would write, whatever the directory added by inheritance, owner or group.
     *
     * @throws IllegalArgumentException when the descriptor is malformed or over the bounds
     */
    public static List<String> explicitAces(byte[] descriptor) {
        int start = daclOffset(descriptor);
        List<String> aces = new ArrayList<>();
        if (start == 0) {
            return aces;
        }
        int end = start + aclSize(descriptor, start);
        int at = start + ACL_HEADER_BYTES;
        for (int i = 0, count = u16(descriptor, start + 4); i < count; i++) {
            int size = aceSize(descriptor, at, end, i);
            if ((descriptor[at + 1] & INHERITED_ACE) == 0) {
                aces.add(HexFormat.of().formatHex(descriptor, at, at + size));
            }
            at += size;
        }
        return aces;
    }

    /** The DACL's offset, 0 for none; checks the header. */
    private static int daclOffset(byte[] descriptor) {
        if (descriptor == null || descriptor.length < HEADER_BYTES) {
            throw new IllegalArgumentException("shorter than a security descriptor header");
        }
        if (descriptor.length > MAX_BYTES) {
            throw new IllegalArgumentException("longer than " + MAX_BYTES + " bytes");
        }
        if (descriptor[0] != 1) {
            throw new IllegalArgumentException("security descriptor revision " + (descriptor[0] & 0xff) + " is not 1");
        }
        int control = u16(descriptor, 2);
        if ((control & SE_SELF_RELATIVE) == 0) {
            throw new IllegalArgumentException("not a self-relative security descriptor");
        }
        long daclOffset = u32(descriptor, 16);
        if ((control & SE_DACL_PRESENT) == 0 || daclOffset == 0) {
            return 0;
        }
        if (daclOffset < HEADER_BYTES || daclOffset > descriptor.length - ACL_HEADER_BYTES) {
            throw new IllegalArgumentException("DACL offset " + daclOffset + " outside the descriptor");
        }
        return (int) daclOffset;
    }

    /** The ACL's size, checked with its revision and ACE count. */
    private static int aclSize(byte[] b, int start) {
        int revision = b[start] & 0xff;
        if (revision != 2 && revision != 4) {
            throw new IllegalArgumentException("ACL revision " + revision + " is neither 2 nor 4");
        }
        int aclSize = u16(b, start + 2);
        int aceCount = u16(b, start + 4);
        if (aclSize < ACL_HEADER_BYTES || aclSize > b.length - start) {
            throw new IllegalArgumentException("ACL size " + aclSize + " outside the descriptor");
        }
        if (aceCount > MAX_ACES) {
            throw new IllegalArgumentException("ACL with " + aceCount + " ACEs (at most " + MAX_ACES + ")");
        }
        return aclSize;
    }

    /** The size of ACE {@code index} at {@code at}, checked against the ACL's {@code end}. */
    private static int aceSize(byte[] b, int at, int end, int index) {
        if (end - at < 4) {
            throw new IllegalArgumentException("ACE " + index + " header beyond the ACL");
        }
        int size = u16(b, at + 2);
        if (size < 8 || size > end - at || size % 4 != 0) {
            throw new IllegalArgumentException("ACE " + index + " size " + size + " invalid");
        }
        return size;
    }

    private static List<AccessRule> dacl(byte[] b, int start) {
        int end = start + aclSize(b, start);
        int aceCount = u16(b, start + 4);
        int at = start + ACL_HEADER_BYTES;
        Set<AccessRule> rules = new LinkedHashSet<>();
        for (int i = 0; i < aceCount; i++) {
            int size = aceSize(b, at, end, i);
            int type = b[at] & 0xff;
            int flags = b[at + 1] & 0xff;
            if ((flags & INHERIT_ONLY_ACE) == 0) {
                ace(b, at, size, type, i, rules);
            }
            at += size;
        }
        return new ArrayList<>(rules);
    }

    /** Adds the rules of one ACE of {@code size} bytes at {@code at}. */
    private static void ace(byte[] b, int at, int size, int type, int index, Set<AccessRule> rules) {
        boolean allow;
        boolean objectAce;
        switch (type) {
            case ACCESS_ALLOWED_ACE -> { allow = true; objectAce = false; }
            case ACCESS_DENIED_ACE -> { allow = false; objectAce = false; }
            case ACCESS_ALLOWED_OBJECT_ACE -> { allow = true; objectAce = true; }
            case ACCESS_DENIED_OBJECT_ACE -> { allow = false; objectAce = true; }
            default -> {
                return; // audit, alarm, callback ACEs: no enrollment right
            }
        }
        int end = at + size;
        long mask = u32(b, at + 4);
        int sidAt = at + 8;
        byte[] objectType = null;
        if (objectAce) {
            if (end - sidAt < 4) {
                throw new IllegalArgumentException("object ACE " + index + " too short for its flags");
            }
            long objectFlags = u32(b, sidAt);
            sidAt += 4;
            if ((objectFlags & ACE_OBJECT_TYPE_PRESENT) != 0) {
                if (end - sidAt < 16) {
                    throw new IllegalArgumentException("object ACE " + index + " too short for its ObjectType");
                }
                objectType = Arrays.copyOfRange(b, sidAt, sidAt + 16);
                sidAt += 16;
            }
            if ((objectFlags & ACE_INHERITED_OBJECT_TYPE_PRESENT) != 0) {
                sidAt += 16;
            }
        }
        if (sidAt > end) {
            throw new IllegalArgumentException("ACE " + index + " too short for its SID");
        }
        String sid;
        try {
            byte[] within = Arrays.copyOfRange(b, sidAt, end);
            sid = WindowsSid.format(within, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ACE " + index + ": " + e.getMessage());
        }
        boolean controlAccess = (mask & ADS_RIGHT_DS_CONTROL_ACCESS) != 0;
        boolean genericAll = (mask & GENERIC_ALL) != 0;
        List<Right> rights = new ArrayList<>(2);
        if (!objectAce) {
            if (controlAccess || genericAll) {
                rights.add(Right.ENROLL);
                rights.add(Right.AUTOENROLL);
            }
        } else if (controlAccess || genericAll) {
            if (objectType == null) {
                rights.add(Right.ENROLL);
                rights.add(Right.AUTOENROLL);
            } else if (Arrays.equals(objectType, ENROLL)) {
                rights.add(Right.ENROLL);
            } else if (Arrays.equals(objectType, AUTOENROLL)) {
                rights.add(Right.AUTOENROLL);
            }
        }
        for (Right right : rights) {
            rules.add(new AccessRule(sid, right, allow));
        }
    }

    /**
     * A GUID's 16 bytes as Windows stores it (MS-DTYP 2.3.4.2): the first three fields little-endian,
     * the last two as written.
     */
    public static byte[] guidBytes(String guid) {
        String hex = guid.replace("-", "");
        if (hex.length() != 32 || guid.length() != 36) {
            throw new IllegalArgumentException("not a GUID in 8-4-4-4-12 form");
        }
        byte[] plain = HexFormat.of().parseHex(hex);
        byte[] out = plain.clone();
        int[] order = {3, 2, 1, 0, 5, 4, 7, 6};
        for (int i = 0; i < order.length; i++) {
            out[i] = plain[order[i]];
        }
        return out;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
