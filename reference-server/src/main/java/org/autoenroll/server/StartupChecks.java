package org.autoenroll.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kerby.kerberos.kerb.keytab.Keytab;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.autoenroll.server.config.ServerConfig;

/**
 * What a configuration that validates can still get wrong, said as warnings at start: a realm
 * whose keytab holds only RC4 keys while RC4 is off (every ticket of that realm would be refused),
 * and a CA base URL over https (Windows relying parties fetch CRL distribution points and AIA over
 * http only, RFC 5280 4.2.1.13). Reads keytabs for their enctypes only: no key leaves this class,
 * and none is logged. Stateless.
 */
final class StartupChecks {
    private StartupChecks() {
    }

    static List<String> warnings(ServerConfig config) {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < config.realms().size(); i++) {
            ServerConfig.Realm realm = config.realms().get(i);
            if (!realm.rc4Allowed() && rc4Only(realm)) {
                warnings.add("realms[" + i + "] " + realm.realm() + ": the keytab " + realm.keytab() + " holds only RC4"
                        + " (arcfour-hmac) keys and allowRc4 is false, so every ticket of this realm will be refused: set"
                        + " msDS-SupportedEncryptionTypes to 24 (AES) on the service account, reset its password and export"
                        + " the keytab again");
            }
        }
        String baseUrl = config.ca() == null ? null : config.ca().baseUrl();
        if (baseUrl != null && baseUrl.toLowerCase(Locale.ROOT).startsWith("https:")) {
            warnings.add("ca.baseUrl is " + baseUrl + ": Windows relying parties fetch the CRL (CDP) and the CA certificate"
                    + " (AIA) written into certificates over http only; set listen.publicationPort and point ca.baseUrl at"
                    + " http://<host>:<publicationPort>");
        }
        return warnings;
    }

    /** True when every key of the realm in the keytab is RC4; false when unreadable (the acceptor says why). */
    private static boolean rc4Only(ServerConfig.Realm realm) {
        try (InputStream in = Files.newInputStream(realm.keytab())) {
            Keytab keytab = Keytab.loadKeytab(in);
            boolean any = false;
            for (PrincipalName principal : keytab.getPrincipals()) {
                if (!realm.realm().equals(principal.getRealm())) {
                    continue;
                }
                for (KeytabEntry entry : keytab.getKeytabEntries(principal)) {
                    EncryptionType type = entry.getKey().getKeyType();
                    if (type != EncryptionType.ARCFOUR_HMAC && type != EncryptionType.ARCFOUR_HMAC_EXP) {
                        return false;
                    }
                    any = true;
                }
            }
            return any;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
