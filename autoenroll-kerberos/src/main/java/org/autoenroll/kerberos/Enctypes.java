package org.autoenroll.kerberos;

import java.util.Set;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;

/**
 * Names encryption types by number and says which ones the acceptor takes: AES-SHA1 always,
 * RC4-HMAC only where a realm allows it, DES and 3DES never (RFC 6649, RFC 8429).
 *
 * <p>Stateless and thread-safe.
 */
final class Enctypes {
    static final int AES128 = 17;
    static final int AES256 = 18;
    static final int RC4 = 23;
    /** DES (1-4, 8 des-hmac-sha1), and 3DES (5-7, 16). */
    private static final Set<Integer> DES_FAMILY = Set.of(1, 2, 3, 4, 5, 6, 7, 8, 16);
    private static final Set<Integer> RC4_FAMILY = Set.of(23, 24);

    private Enctypes() {
    }

    /** A name for logs and details, e.g. {@code aes256-cts-hmac-sha1-96 (18)}. */
    static String name(long etype) {
        if (etype >= Integer.MIN_VALUE && etype <= Integer.MAX_VALUE) {
            EncryptionType type = EncryptionType.fromValue((int) etype);
            if (type != EncryptionType.NONE) {
                return type.getName() + " (" + etype + ")";
            }
        }
        return "enctype " + etype;
    }

    /** Null when accepted, else the reason for refusing it. */
    static String refusal(long etype, boolean rc4Allowed) {
        if (etype == AES128 || etype == AES256) {
            return null;
        }
        if (etype == RC4 && rc4Allowed) {
            return null;
        }
        if (etype >= 0 && etype <= Integer.MAX_VALUE && DES_FAMILY.contains((int) etype)) {
            return name(etype) + " is refused: DES and 3DES are never accepted (RFC 6649, RFC 8429); "
                    + "enable AES for the service account";
        }
        if (etype >= 0 && etype <= Integer.MAX_VALUE && RC4_FAMILY.contains((int) etype)) {
            return name(etype) + " is refused: RC4 is not allowed for this realm (allowRc4); "
                    + "enable AES for the service account (msDS-SupportedEncryptionTypes)";
        }
        return name(etype) + " is not supported: only aes256-cts-hmac-sha1-96 and aes128-cts-hmac-sha1-96 are accepted";
    }
}
