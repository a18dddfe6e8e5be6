package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.SecretRef;
import org.autoenroll.kerberos.KeytabMaker;

/**
 * {@code keytab}: makes the keytab of the server's {@code HTTP/host} principal from the service
 * account's password, as {@code ktpass} does on a domain controller, with Active Directory's salt
 * rules (MS-KILE 3.1.1.2) for the account the SPN is mapped to. AES only unless RC4 is asked for;
 * never DES. The password is read from {@code env:} or {@code file:}, never from the command line.
 * Exit codes: 0 written, 1 failed, 2 usage.
 */
public final class KeytabCommand {
    public static final String USAGE = String.join("\n",
            "Usage: java -jar autoenroll-server.jar keytab --principal HTTP/host.example.com@EXAMPLE.COM",
            "           --password env:NAME|file:/path --out FILE [--kvno N] [--enctypes aes256,aes128[,rc4]]",
            "           [--ad-user sAMAccountName | --ad-computer NAME --dns-domain example.com]",
            "",
            "  --ad-user      the AD user account the SPN is mapped to (setspn -s HTTP/host account): AD's salt",
            "                 is REALM + sAMAccountName",
            "  --ad-computer  a computer account: AD's salt is REALM + host + name + . + DNS domain",
            "                 without either, MIT's salt (REALM + principal name) is used",
            "  --kvno         the key version, msDS-KeyVersionNumber of the account (default 1)",
            "  --enctypes     default aes256,aes128; rc4 only for accounts without AES keys");

    private KeytabCommand() {
    }

    /** Runs the command; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options;
        KeytabMaker.Builder builder;
        try {
            options = Options.parse(args, "--principal", "--password", "--out", "--kvno", "--enctypes", "--ad-user",
                    "--ad-computer", "--dns-domain");
            for (String required : List.of("--principal", "--password", "--out")) {
                if (!options.containsKey(required)) {
                    throw new IllegalArgumentException(required + " is required");
                }
            }
            String principal = options.get("--principal");
            int at = principal.lastIndexOf('@');
            if (at <= 0 || at == principal.length() - 1) {
                throw new IllegalArgumentException("--principal needs a realm: HTTP/host@REALM");
            }
            String realm = principal.substring(at + 1);
            builder = KeytabMaker.builder(principal).kvno(Integer.parseInt(options.getOrDefault("--kvno", "1")))
                    .enctypes(enctypes(options.getOrDefault("--enctypes", "aes256,aes128")));
            if (options.containsKey("--ad-user") && options.containsKey("--ad-computer")) {
                throw new IllegalArgumentException("give --ad-user or --ad-computer, not both");
            }
            if (options.containsKey("--ad-user")) {
                builder.salt(KeytabMaker.adUserSalt(realm, options.get("--ad-user")));
            } else if (options.containsKey("--ad-computer")) {
                if (!options.containsKey("--dns-domain")) {
                    throw new IllegalArgumentException("--ad-computer needs --dns-domain");
                }
                builder.salt(KeytabMaker.adComputerSalt(realm, options.get("--ad-computer"), options.get("--dns-domain")));
            }
        } catch (IllegalArgumentException e) {
            err.println("autoenroll keytab: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        char[] password = null;
        try {
            password = SecretRef.parse(options.get("--password")).resolve();
            KeytabMaker maker = builder.password(password).build();
            Path written = maker.writeTo(Path.of(options.get("--out")));
            out.println("wrote " + written + ": " + maker.principal() + " kvno " + maker.kvno() + " " + maker.enctypes());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("autoenroll keytab: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("autoenroll keytab: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static List<String> enctypes(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).map(name -> switch (name) {
            case "aes256" -> "aes256-cts-hmac-sha1-96";
            case "aes128" -> "aes128-cts-hmac-sha1-96";
            case "rc4" -> "rc4-hmac";
            default -> name;
        }).toList();
    }
}
