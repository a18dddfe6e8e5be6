package org.autoenroll.kerberos;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kerby.kerberos.kerb.keytab.Keytab;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.autoenroll.api.EnrollmentException;

/**
 * The service keys of one realm, read once from a keytab and indexed by service principal name
 * (without realm, e.g. {@code HTTP/host.example.com}), enctype and kvno.
 *
 * <p>Lookup by name string rather than {@link PrincipalName#equals}, which also compares the name
 * type (KDCs and keytabs disagree on it). Immutable and thread-safe; key bytes never leave it
 * except as the {@link EncryptionKey} handed to the decryptor.
 */
final class RealmKeys {
    /** One keytab entry: its kvno and key. */
    record Entry(long kvno, EncryptionKey key) {
        int etype() {
            return key.getKeyType().getValue();
        }
    }

    private final String realm;
    private final boolean rc4Allowed;
    private final Map<String, List<Entry>> byName;

    private RealmKeys(String realm, boolean rc4Allowed, Map<String, List<Entry>> byName) {
        this.realm = realm;
        this.rc4Allowed = rc4Allowed;
        this.byName = byName;
    }

    /**
     * @throws IllegalArgumentException if the keytab cannot be parsed or holds no key of this realm
     */
    static RealmKeys load(String realm, byte[] keytabBytes, boolean rc4Allowed) {
        Keytab keytab;
        try {
            keytab = Keytab.loadKeytab(new ByteArrayInputStream(keytabBytes));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the keytab for realm " + realm + " cannot be read (not a keytab file?)");
        }
        Map<String, List<Entry>> byName = new TreeMap<>();
        for (PrincipalName principal : keytab.getPrincipals()) {
            if (!realm.equals(principal.getRealm())) {
                continue; // keys of other realms in the same file are not this realm's
            }
            String name = nameOf(principal);
            for (KeytabEntry entry : keytab.getKeytabEntries(principal)) {
                byName.computeIfAbsent(name, n -> new ArrayList<>())
                        .add(new Entry(entry.getKvno() & 0xFFFFFFFFL, entry.getKey()));
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("the keytab for realm " + realm + " holds no key of that realm");
        }
        byName.replaceAll((n, list) -> {
            List<Entry> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparingLong(Entry::kvno).reversed());
            return List.copyOf(sorted);
        });
        return new RealmKeys(realm, rc4Allowed, Map.copyOf(byName));
    }

    static String nameOf(PrincipalName principal) {
        return String.join("/", principal.getNameStrings());
    }

    String realm() {
        return realm;
    }

    boolean rc4Allowed() {
        return rc4Allowed;
    }

    /**
     * The keys to try for a ticket, best first.
     *
     * @param kvno the ticket's kvno, or -1 when the ticket carries none
     */
    List<Entry> keysFor(String serviceName, long etype, long kvno) throws EnrollmentException {
        List<Entry> entries = byName.get(serviceName);
        if (entries == null) {
            String held = byName.keySet().stream().limit(10).collect(Collectors.joining(", "));
            throw NegotiateCodec.fail("no key for service principal " + KerberosAcceptor.printable(serviceName) + "@" + realm
                    + " in the realm's keytab (it holds: " + held + "); the client used an SPN the keytab lacks");
        }
        List<Entry> sameType = entries.stream().filter(e -> e.etype() == etype).toList();
        if (sameType.isEmpty()) {
            String held = entries.stream().map(e -> Enctypes.name(e.etype()))
                    .collect(Collectors.toCollection(TreeSet::new)).toString();
            boolean rc4Only = entries.stream().allMatch(e -> e.etype() == Enctypes.RC4);
            throw NegotiateCodec.fail("the keytab holds no " + Enctypes.name(etype) + " key for " + KerberosAcceptor.printable(serviceName) + "@"
                    + realm + " (it holds " + held + ")" + (rc4Only
                            ? "; AD exports RC4 keys only for accounts without msDS-SupportedEncryptionTypes: set it to 24"
                                    + " (AES128 + AES256) on the service account, reset its password and export the keytab again"
                            : ""));
        }
        if (kvno < 0) {
            return sameType;
        }
        List<Entry> exact = sameType.stream().filter(e -> e.kvno() == kvno).toList();
        if (!exact.isEmpty()) {
            return exact;
        }
        // A keytab entry may hold only the low 8 bits of a kvno (the old keytab format).
        List<Entry> low8 = sameType.stream().filter(e -> e.kvno() < 256 && e.kvno() == (kvno & 0xFF)).toList();
        if (!low8.isEmpty()) {
            return low8;
        }
        String held = sameType.stream().map(e -> Long.toString(e.kvno())).distinct().collect(Collectors.joining(", "));
        long newest = sameType.stream().mapToLong(Entry::kvno).max().orElse(-1);
        if (newest > 255 ? kvno < newest : (kvno & 0xFF) < newest) {
            // the keytab is ahead: it is the client's cached service ticket that predates the password change
            throw NegotiateCodec.fail("kvno mismatch for " + KerberosAcceptor.printable(serviceName) + "@" + realm
                    + ": the client's service ticket is encrypted with kvno " + kvno + ", older than the keytab's kvno " + held
                    + "; the keytab is current: the client holds a ticket from before the service password changed and gets a"
                    + " new one when it expires or after 'klist purge'");
        }
        throw NegotiateCodec.fail("kvno mismatch for " + KerberosAcceptor.printable(serviceName) + "@" + realm + ": the ticket is encrypted with kvno "
                + kvno + ", the keytab holds kvno " + held + " (the service password changed: export a new keytab)");
    }
}
