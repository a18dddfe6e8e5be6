package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.autoenroll.api.SecretRef;
import org.autoenroll.kerberos.KeytabMaker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keytab}: makes the keytab of the server's {@code HTTP/host} principal from the service
 * account's password, as {@code ktpass} does on a domain controller, with Active Directory's salt
 * rules (MS-KILE 3.1.1.2) for the account the SPN is mapped to. AES only unless RC4 is asked for;
 * never DES. The password is read from {@code env:} or {@code file:}, never from the command line.
 * Exit codes: 0 written, 1 failed, 2 usage.
 */
@Command(name = "keytab", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Make the keytab of the server's HTTP/host principal from the service account's password (as ktpass).")
public final class KeytabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--principal", required = true, paramLabel = "HTTP/host.example.com@EXAMPLE.COM",
            description = "the service principal, with its realm")
    String principal;

    @Option(names = "--password", required = true, paramLabel = "env:NAME|file:/path",
            description = "where the account's password is kept; never the password itself")
    String password;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the keytab to write")
    Path out;

    @Option(names = "--kvno", defaultValue = "1", paramLabel = "N",
            description = "the key version, msDS-KeyVersionNumber of the account (default 1)")
    int kvno;

    @Option(names = "--enctypes", defaultValue = "aes256,aes128", paramLabel = "aes256,aes128[,rc4]",
            description = "default aes256,aes128; rc4 only for accounts without AES keys")
    String enctypes;

    @Option(names = "--ad-user", paramLabel = "sAMAccountName", description = {
        "the AD user account the SPN is mapped to (setspn -s HTTP/host account): AD's salt is REALM + sAMAccountName"})
    String adUser;

    @Option(names = "--ad-computer", paramLabel = "NAME", description = {
        "a computer account: AD's salt is REALM + host + name + . + DNS domain;",
        "without --ad-user or --ad-computer, MIT's salt (REALM + principal name) is used"})
    String adComputer;

    @Option(names = "--dns-domain", paramLabel = "example.com", description = "the DNS domain of --ad-computer")
    String dnsDomain;

    /** Runs the command on {@code args}; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new KeytabCommand(), args, out, err);
    }

    @Override
    public Integer call() {
        KeytabMaker.Builder builder;
        try {
            int at = principal.lastIndexOf('@');
            if (at <= 0 || at == principal.length() - 1) {
                throw new IllegalArgumentException("--principal needs a realm: HTTP/host@REALM");
            }
            String realm = principal.substring(at + 1);
            builder = KeytabMaker.builder(principal).kvno(kvno).enctypes(enctypes(enctypes));
            if (adUser != null && adComputer != null) {
                throw new IllegalArgumentException("give --ad-user or --ad-computer, not both");
            }
            if (adUser != null) {
                builder.salt(KeytabMaker.adUserSalt(realm, adUser));
            } else if (adComputer != null) {
                if (dnsDomain == null) {
                    throw new IllegalArgumentException("--ad-computer needs --dns-domain");
                }
                builder.salt(KeytabMaker.adComputerSalt(realm, adComputer, dnsDomain));
            }
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        char[] secret = null;
        try {
            secret = SecretRef.parse(password).resolve();
            KeytabMaker maker = builder.password(secret).build();
            Path written = maker.writeTo(out);
            spec.commandLine().getOut().println("wrote " + written + ": " + maker.principal() + " kvno " + maker.kvno()
                    + " " + maker.enctypes());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("autoenroll keytab: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("autoenroll keytab: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
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
