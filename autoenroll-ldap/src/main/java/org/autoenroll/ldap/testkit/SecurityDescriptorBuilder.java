package org.autoenroll.ldap.testkit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.autoenroll.api.AccessRule;
import org.autoenroll.ldap.SecurityDescriptors;
import org.autoenroll.ldap.WindowsSid;

/**
 * Writes a self-relative security descriptor (MS-DTYP 2.4.6) as AD stores {@code nTSecurityDescriptor},
 * for tests that put template ACLs into a directory: object ACEs for the enrollment rights, plain
 * ACEs, and raw ACEs for malformed or unusual cases.
 *
 * <pre>{@code
 * byte[] sd = SecurityDescriptorBuilder.create()
 *         .allow(staffSid, AccessRule.Right.ENROLL).deny(bobSid, AccessRule.Right.ENROLL).build();
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class SecurityDescriptorBuilder {
    /** Read access (READ_CONTROL | LIST | READ_PROPERTY | LIST_OBJECT): grants no enrollment right. */
    public static final int READ_MASK = 0x00020094;
    /** What AD stores for full control. */
    public static final int FULL_CONTROL_MASK = 0x000F01FF;
    private static final int CONTROL_ACCESS = 0x100;

    private final List<byte[]> aces = new ArrayList<>();
    private String owner;

    private SecurityDescriptorBuilder() {
    }

    public static SecurityDescriptorBuilder create() {
        return new SecurityDescriptorBuilder();
    }

    /** From a template's rules: each a Certificate-Enrollment or -AutoEnrollment object ACE. */
    public static byte[] of(List<AccessRule> rules) {
        SecurityDescriptorBuilder builder = create();
        for (AccessRule rule : rules) {
            if (rule.allow()) {
                builder.allow(rule.trustee(), rule.right());
            } else {
                builder.deny(rule.trustee(), rule.right());
            }
        }
        return builder.build();
    }

    /** An owner SID (AD always has one; Samba fills it in when a write omits it). */
    public SecurityDescriptorBuilder owner(String sid) {
        this.owner = Objects.requireNonNull(sid, "sid");
        return this;
    }

    /** ACCESS_ALLOWED_OBJECT_ACE with control access for the right's GUID. */
    public SecurityDescriptorBuilder allow(String sid, AccessRule.Right right) {
        return objectAce(0x05, 0, CONTROL_ACCESS, guid(right), sid);
    }

    /** ACCESS_DENIED_OBJECT_ACE with control access for the right's GUID. */
    public SecurityDescriptorBuilder deny(String sid, AccessRule.Right right) {
        return objectAce(0x06, 0, CONTROL_ACCESS, guid(right), sid);
    }

    /** A plain ACCESS_ALLOWED_ACE (0x00) or ACCESS_DENIED_ACE (0x01) with this mask. */
    public SecurityDescriptorBuilder plain(boolean allow, int mask, String sid) {
        return ace(allow ? 0x00 : 0x01, 0, body(mask, false, null, WindowsSid.parse(sid)));
    }

    /**
     * An object ACE (type 0x05 or 0x06) with the given ACE flags (0x08 inherit-only), access mask,
     * ObjectType (Windows byte order; null for none) and trustee.
     */
    public SecurityDescriptorBuilder objectAce(int type, int aceFlags, int mask, byte[] objectType, String sid) {
        return ace(type, aceFlags, body(mask, true, objectType, WindowsSid.parse(sid)));
    }

    /** Any ACE: header (type, flags, size) and the body as given, padded to 4 bytes. */
    public SecurityDescriptorBuilder ace(int type, int aceFlags, byte[] body) {
        int size = 4 + body.length + (4 - body.length % 4) % 4;
        byte[] ace = new byte[size];
        ace[0] = (byte) type;
        ace[1] = (byte) aceFlags;
        ace[2] = (byte) size;
        ace[3] = (byte) (size >>> 8);
        System.arraycopy(body, 0, ace, 4, body.length);
        aces.add(ace);
        return this;
    }

    /** The descriptor: header, DACL (revision 4), then the owner when set. */
    public byte[] build() {
        ByteArrayOutputStream acl = new ByteArrayOutputStream();
        for (byte[] ace : aces) {
            acl.writeBytes(ace);
        }
        int aclSize = 8 + acl.size();
        byte[] ownerBytes = owner == null ? new byte[0] : WindowsSid.parse(owner);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {1, 0, 0x04, (byte) 0x80}); // revision 1, SE_DACL_PRESENT | SE_SELF_RELATIVE
        out.writeBytes(le32(owner == null ? 0 : 20 + aclSize)); // owner
        out.writeBytes(le32(0)); // group
        out.writeBytes(le32(0)); // SACL
        out.writeBytes(le32(20)); // DACL
        out.writeBytes(new byte[] {4, 0, (byte) aclSize, (byte) (aclSize >>> 8), (byte) aces.size(), (byte) (aces.size() >>> 8), 0, 0});
        out.writeBytes(acl.toByteArray());
        out.writeBytes(ownerBytes);
        return out.toByteArray();
    }

    private static byte[] guid(AccessRule.Right right) {
        return SecurityDescriptors.guidBytes(right == AccessRule.Right.ENROLL
                ? SecurityDescriptors.ENROLL_GUID : SecurityDescriptors.AUTOENROLL_GUID);
    }

    /** Mask, then for object ACEs the flags and ObjectType, then the SID. */
    private static byte[] body(int mask, boolean objectAce, byte[] objectType, byte[] sid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le32(mask));
        if (objectAce) {
            out.writeBytes(le32(objectType == null ? 0 : 1)); // ACE_OBJECT_TYPE_PRESENT
            if (objectType != null) {
                out.writeBytes(objectType);
            }
        }
        out.writeBytes(sid);
        return out.toByteArray();
    }

    private static byte[] le32(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }
}
