package org.autoenroll.ldap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Windows security identifiers (MS-DTYP 2.4.2) between their binary form ({@code objectSid},
 * {@code tokenGroups}, the SIDs in a security descriptor) and the string form {@code S-1-5-21-...}
 * that {@link org.autoenroll.api.DirectoryEntry} and {@link org.autoenroll.api.AccessRule} carry.
 * The string form is the one Windows prints (and the PAC parser writes): identifier authorities
 * below 2^32 in decimal, larger ones as {@code 0x} and 12 hex digits.
 *
 * <p>Stateless and thread-safe.
 */
public final class WindowsSid {
    /** SID_MAX_SUB_AUTHORITIES (MS-DTYP 2.4.2.2). */
    public static final int MAX_SUB_AUTHORITIES = 15;
    /** The largest binary SID: 8 header bytes and 15 sub-authorities. */
    public static final int MAX_BYTES = 8 + 4 * MAX_SUB_AUTHORITIES;
    private static final Pattern FORM = Pattern.compile("S-1-(0x[0-9A-Fa-f]{12}|[0-9]{1,10})(-[0-9]{1,10}){0,15}");

    private WindowsSid() {
    }

    /**
     * The string form of the binary SID at {@code offset} of {@code bytes}.
     *
     * @throws IllegalArgumentException when it is not a revision-1 SID or does not fit
     */
    public static String format(byte[] bytes, int offset) {
        Objects.requireNonNull(bytes, "bytes");
        int length = length(bytes, offset);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.BIG_ENDIAN);
        int revision = in.get() & 0xff;
        int count = in.get() & 0xff;
        long authority = 0;
        for (int i = 0; i < 6; i++) {
            authority = (authority << 8) | (in.get() & 0xff);
        }
        StringBuilder out = new StringBuilder("S-").append(revision).append('-');
        out.append(authority < (1L << 32) ? Long.toString(authority) : "0x" + String.format("%012X", authority));
        in.order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            out.append('-').append(Integer.toUnsignedLong(in.getInt()));
        }
        return out.toString();
    }

    /** The string form of a whole binary SID (an {@code objectSid} value); extra bytes are refused. */
    public static String format(byte[] bytes) {
        if (bytes == null || length(bytes, 0) != bytes.length) {
            throw new IllegalArgumentException("not a binary SID of its own length");
        }
        return format(bytes, 0);
    }

    /**
     * The number of bytes the SID at {@code offset} takes: 8 + 4 per sub-authority.
     *
     * @throws IllegalArgumentException when the bytes there cannot be a SID
     */
    public static int length(byte[] bytes, int offset) {
        if (offset < 0 || bytes.length - offset < 8) {
            throw new IllegalArgumentException("a SID needs at least 8 bytes");
        }
        if (bytes[offset] != 1) {
            throw new IllegalArgumentException("SID revision " + (bytes[offset] & 0xff) + " is not 1");
        }
        int count = bytes[offset + 1] & 0xff;
        if (count > MAX_SUB_AUTHORITIES) {
            throw new IllegalArgumentException("SID with " + count + " sub-authorities (at most " + MAX_SUB_AUTHORITIES + ")");
        }
        int length = 8 + 4 * count;
        if (bytes.length - offset < length) {
            throw new IllegalArgumentException("SID truncated: " + count + " sub-authorities announced");
        }
        return length;
    }

    /**
     * The binary form of {@code S-1-...}.
     *
     * @throws IllegalArgumentException when {@code sid} is not in that form or a part does not fit
     */
    public static byte[] parse(String sid) {
        if (sid == null || sid.length() > 200 || !FORM.matcher(sid).matches()) {
            throw new IllegalArgumentException("not a SID in S-1-... form");
        }
        String[] parts = sid.split("-");
        long authority = parts[2].startsWith("0x") ? Long.parseLong(parts[2].substring(2), 16) : Long.parseLong(parts[2]);
        if (authority >= (1L << 48)) {
            throw new IllegalArgumentException("SID identifier authority too large");
        }
        int count = parts.length - 3;
        ByteBuffer out = ByteBuffer.allocate(8 + 4 * count).order(ByteOrder.BIG_ENDIAN);
        out.put((byte) 1).put((byte) count);
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.put((byte) (authority >>> shift));
        }
        out.order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 3; i < parts.length; i++) {
            long sub = Long.parseLong(parts[i]);
            if (sub > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("SID sub-authority above 2^32-1");
            }
            out.putInt((int) sub);
        }
        return out.array();
    }
}
