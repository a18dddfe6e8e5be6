package org.autoenroll.ca;

import java.nio.file.Path;
import java.time.Clock;
import org.autoenroll.api.SecretRef;

/**
 * Opens a PKCS#11 CA in a fresh JVM and prints {@code OPENED} or the {@link CaStartupException}
 * reason: a PIN is checked only by the first login of a process (PKCS#11 login state is per
 * token and process, and SunPKCS11 skips the login when the token is already logged in), so a
 * wrong-PIN test needs a process of its own. Arguments: library slot pin alias.
 */
public final class Pkcs11OpenMain {
    private Pkcs11OpenMain() {
    }

    public static void main(String[] args) {
        CaSettings settings = CaSettings.builder().subjectDn("CN=autoenroll PKCS#11 test CA,O=Example")
                .pkcs11(Pkcs11Settings.slot(Path.of(args[0]), Long.parseLong(args[1]),
                        SecretRef.literal(args[2].toCharArray()), args[3]))
                .baseUrl(Fixtures.BASE_URL).build();
        try {
            BuiltInCa.open(settings, Clock.systemUTC());
            System.out.println("OPENED");
        } catch (CaStartupException e) {
            System.out.println(e.reason());
        }
    }
}
