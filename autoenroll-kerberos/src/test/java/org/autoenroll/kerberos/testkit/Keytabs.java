package org.autoenroll.kerberos.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kerby.kerberos.kerb.keytab.Keytab;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;

/**
 * Keytab files for tests: from a password (the {@code ktpass}/{@code ktutil} equivalent), from
 * given keys, or an existing keytab with its kvno changed. Stateless and thread-safe.
 */
public final class Keytabs {
    private Keytabs() {
    }

    /** A keytab for {@code principalWithRealm} with one key per enctype, derived from the password. */
    public static byte[] fromPassword(String principalWithRealm, String password, int kvno, EncryptionType... types) {
        List<EncryptionKey> keys = new ArrayList<>();
        for (EncryptionType type : types) {
            keys.add(TicketForger.keyFromPassword(principalWithRealm, password, type));
        }
        return fromKeys(principalWithRealm, kvno, keys.toArray(new EncryptionKey[0]));
    }

    public static byte[] fromKeys(String principalWithRealm, int kvno, EncryptionKey... keys) {
        Keytab keytab = new Keytab();
        PrincipalName principal = new PrincipalName(principalWithRealm, NameType.NT_PRINCIPAL);
        for (EncryptionKey key : keys) {
            keytab.addEntry(new KeytabEntry(principal, new KerberosTime(), kvno, key));
        }
        return store(keytab);
    }

    /** The same keys with every kvno replaced. */
    public static byte[] withKvno(byte[] keytabBytes, int kvno) {
        Keytab in = load(keytabBytes);
        Keytab out = new Keytab();
        for (PrincipalName principal : in.getPrincipals()) {
            for (KeytabEntry entry : in.getKeytabEntries(principal)) {
                out.addEntry(new KeytabEntry(principal, entry.getTimestamp(), kvno, entry.getKey()));
            }
        }
        return store(out);
    }

    /** The first key of the given type for the principal (name without realm, e.g. HTTP/localhost). */
    public static KeytabEntry entry(byte[] keytabBytes, String principalName, EncryptionType type) {
        Keytab keytab = load(keytabBytes);
        for (PrincipalName principal : keytab.getPrincipals()) {
            if (String.join("/", principal.getNameStrings()).equals(principalName)) {
                for (KeytabEntry entry : keytab.getKeytabEntries(principal)) {
                    if (entry.getKey().getKeyType() == type) {
                        return entry;
                    }
                }
            }
        }
        throw new IllegalArgumentException("no " + type + " key for " + principalName);
    }

    public static Keytab load(byte[] keytabBytes) {
        try {
            return Keytab.loadKeytab(new ByteArrayInputStream(keytabBytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] store(Keytab keytab) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            keytab.store(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
