package org.autoenroll.kerberos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.keytab.Keytab;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;

/**
 * Makes a keytab from a password: the {@code ktpass} (Active Directory) and {@code ktutil addent
 * -password} (MIT) equivalent. The keys are derived with the salt the KDC uses for the account:
 *
 * <ul>
 *   <li>{@link #adUserSalt}: AD user account (a service account an SPN is mapped to): uppercase
 *       realm + sAMAccountName, case as given (MS-KILE 3.1.1.2);
 *   <li>{@link #adComputerSalt}: AD computer account: uppercase realm + {@code "host"} + the
 *       lowercase computer name without {@code $} + {@code "."} + the lowercase DNS domain;
 *   <li>{@link #mitSalt}: MIT and other non-AD KDCs: realm + the name components, no separators.
 * </ul>
 *
 * <p>AES256 and AES128 by default (4096 PBKDF2 iterations, RFC 3962), RC4 only on request
 * ({@link Builder#enctypes} with {@code rc4-hmac}); DES and 3DES are refused. Keys match MIT
 * {@code ktutil} byte for byte. Usage from a CLI:
 *
 * <pre>{@code
 * KeytabMaker.builder("HTTP/enroll.example.com@EXAMPLE.COM")
 *     .password(passwordChars)
 *     .kvno(2)
 *     .salt(KeytabMaker.adUserSalt("EXAMPLE.COM", "svc-enroll"))
 *     .build()
 *     .writeTo(Path.of("enroll.keytab"));
 * }</pre>
 *
 * <p>A built KeytabMaker is immutable and thread-safe; it holds the derived keys, not the
 * password, and never prints them. The builder is not thread-safe.
 */
public final class KeytabMaker {
    /** The enctypes made when none are named. */
    public static final List<String> DEFAULT_ENCTYPES = List.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96");

    private static final Map<String, EncryptionType> NAMES = Map.ofEntries(
            Map.entry("aes256-cts-hmac-sha1-96", EncryptionType.AES256_CTS_HMAC_SHA1_96),
            Map.entry("aes256-cts", EncryptionType.AES256_CTS_HMAC_SHA1_96),
            Map.entry("aes256", EncryptionType.AES256_CTS_HMAC_SHA1_96),
            Map.entry("aes128-cts-hmac-sha1-96", EncryptionType.AES128_CTS_HMAC_SHA1_96),
            Map.entry("aes128-cts", EncryptionType.AES128_CTS_HMAC_SHA1_96),
            Map.entry("aes128", EncryptionType.AES128_CTS_HMAC_SHA1_96),
            Map.entry("rc4-hmac", EncryptionType.ARCFOUR_HMAC),
            Map.entry("arcfour-hmac", EncryptionType.ARCFOUR_HMAC),
            Map.entry("arcfour-hmac-md5", EncryptionType.ARCFOUR_HMAC),
            Map.entry("rc4", EncryptionType.ARCFOUR_HMAC));

    private final PrincipalName principal;
    private final int kvno;
    private final List<EncryptionKey> keys;

    private KeytabMaker(PrincipalName principal, int kvno, List<EncryptionKey> keys) {
        this.principal = principal;
        this.kvno = kvno;
        this.keys = keys;
    }

    /**
     * @param principalWithRealm e.g. {@code HTTP/enroll.example.com@EXAMPLE.COM} or {@code alice@TEST.COM}
     */
    public static Builder builder(String principalWithRealm) {
        return new Builder(principalWithRealm);
    }

    /** MS-KILE 3.1.1.2, user accounts: {@code EXAMPLE.COM} + {@code svc-enroll} (case as given). */
    public static String adUserSalt(String realm, String samAccountName) {
        requireText(samAccountName, "sAMAccountName");
        return requireText(realm, "realm").toUpperCase(Locale.ROOT) + samAccountName;
    }

    /**
     * MS-KILE 3.1.1.2, computer accounts: {@code EXAMPLE.COM} + {@code host} + {@code pc1} + {@code .}
     * + {@code example.com}.
     *
     * @param computerName the sAMAccountName ({@code PC1$}) or the bare name ({@code pc1})
     * @param dnsDomain the DNS domain, e.g. {@code example.com}
     */
    public static String adComputerSalt(String realm, String computerName, String dnsDomain) {
        String name = requireText(computerName, "computer name");
        if (name.endsWith("$")) {
            name = name.substring(0, name.length() - 1);
        }
        requireText(name, "computer name");
        return requireText(realm, "realm").toUpperCase(Locale.ROOT) + "host" + name.toLowerCase(Locale.ROOT) + "."
                + requireText(dnsDomain, "DNS domain").toLowerCase(Locale.ROOT);
    }

    /** MIT's default salt: realm + name components ({@code HTTP/a.b@R} -> {@code RHTTPa.b}). */
    public static String mitSalt(String principalWithRealm) {
        PrincipalName name = parse(principalWithRealm);
        return name.getRealm() + String.join("", name.getNameStrings());
    }

    /** The principal with realm, e.g. {@code HTTP/enroll.example.com@EXAMPLE.COM}. */
    public String principal() {
        return principal.getName();
    }

    public int kvno() {
        return kvno;
    }

    /** The enctype names of the keys, in keytab order. */
    public List<String> enctypes() {
        return keys.stream().map(k -> k.getKeyType().getName()).toList();
    }

    /** The keytab file's bytes (format 0x0502). */
    public byte[] toBytes() {
        Keytab keytab = new Keytab();
        KerberosTime now = new KerberosTime();
        for (EncryptionKey key : keys) {
            keytab.addEntry(new KeytabEntry(principal, now, kvno, key));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            keytab.store(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the keytab, replacing {@code file}: through a temporary file in the same directory,
     * readable by the owner only where the file system has POSIX permissions.
     */
    public Path writeTo(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp;
        try {
            temp = Files.createTempFile(dir, ".keytab", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            temp = Files.createTempFile(dir, ".keytab", ".tmp");
        }
        try {
            Files.write(temp, toBytes());
            try {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            return absolute;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static PrincipalName parse(String principalWithRealm) {
        String text = requireText(principalWithRealm, "principal");
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new IllegalArgumentException("principal must be name@REALM, e.g. HTTP/host.example.com@EXAMPLE.COM");
        }
        for (String component : text.substring(0, at).split("/", -1)) {
            if (component.isEmpty()) {
                throw new IllegalArgumentException("principal has an empty name component");
            }
        }
        return new PrincipalName(text, NameType.NT_PRINCIPAL);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must be non-empty");
        }
        return value;
    }

    /** Collects principal, password, kvno, enctypes and salt; derives the keys in {@link #build()}. */
    public static final class Builder {
        private final PrincipalName principal;
        private char[] password;
        private int kvno = 1;
        private List<String> enctypes = DEFAULT_ENCTYPES;
        private String salt;

        private Builder(String principalWithRealm) {
            this.principal = parse(principalWithRealm);
        }

        /** The account's password; copied, and the copy cleared in {@link #build()}. */
        public Builder password(char[] password) {
            Objects.requireNonNull(password, "password");
            if (password.length == 0) {
                throw new IllegalArgumentException("password must be non-empty");
            }
            this.password = password.clone();
            return this;
        }

        /** The key version number the KDC holds for the account (msDS-KeyVersionNumber in AD). */
        public Builder kvno(int kvno) {
            if (kvno < 0) {
                throw new IllegalArgumentException("kvno must be non-negative");
            }
            this.kvno = kvno;
            return this;
        }

        /**
         * Enctypes by MIT name: {@code aes256-cts-hmac-sha1-96}, {@code aes128-cts-hmac-sha1-96}
         * (default), {@code rc4-hmac} on request; DES and 3DES are refused.
         */
        public Builder enctypes(List<String> names) {
            Objects.requireNonNull(names, "names");
            if (names.isEmpty()) {
                throw new IllegalArgumentException("at least one enctype");
            }
            Set<String> out = new LinkedHashSet<>();
            for (String name : names) {
                String key = Objects.requireNonNull(name, "enctype").trim().toLowerCase(Locale.ROOT);
                if (!NAMES.containsKey(key)) {
                    if (key.contains("des")) {
                        throw new IllegalArgumentException(name + " is refused: DES and 3DES are never made (RFC 6649, RFC 8429)");
                    }
                    throw new IllegalArgumentException("unknown enctype " + name + "; use aes256-cts-hmac-sha1-96, "
                            + "aes128-cts-hmac-sha1-96 or rc4-hmac");
                }
                out.add(key);
            }
            this.enctypes = List.copyOf(out);
            return this;
        }

        /** The salt: {@link #adUserSalt}, {@link #adComputerSalt} or {@link #mitSalt} (the default). */
        public Builder salt(String salt) {
            this.salt = requireText(salt, "salt");
            return this;
        }

        /** @throws IllegalStateException without password */
        public KeytabMaker build() {
            if (password == null) {
                throw new IllegalStateException("no password");
            }
            String effectiveSalt = salt != null ? salt : principal.getRealm() + String.join("", principal.getNameStrings());
            List<EncryptionKey> keys = new ArrayList<>();
            Set<EncryptionType> made = new LinkedHashSet<>();
            try {
                String pw = new String(password);
                for (String name : enctypes) {
                    EncryptionType type = NAMES.get(name);
                    if (made.add(type)) {
                        keys.add(EncryptionHandler.string2Key(pw, effectiveSalt, null, type));
                    }
                }
            } catch (KrbException e) {
                throw new IllegalStateException("key derivation failed", e);
            } finally {
                Arrays.fill(password, '\0');
                password = null;
            }
            return new KeytabMaker(principal, kvno, List.copyOf(keys));
        }
    }
}
