package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Optional;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.SecretRef;
import org.autoenroll.api.SubjectName;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.ca.CaStartupException;
import org.autoenroll.ldap.AdPkiPublication;
import org.autoenroll.ldap.AdPkiPublisher;
import org.autoenroll.ldap.LdapDirectoryLookup;
import org.autoenroll.server.ServerModule;
import org.autoenroll.server.WindowsEnrollment;
import org.autoenroll.server.config.ConfigException;
import org.autoenroll.server.config.ConfigLoader;
import org.autoenroll.server.config.LdapClients;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.config.TemplateConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code publish-ad}: writes the built-in CA, its enrollment service (the CES URLs CEP hands out)
 * and the configured templates into an AD forest's Configuration partition, where Windows and
 * Samba clients look for them ({@link AdPkiPublisher}); {@code --dry-run} prints the LDIF instead
 * and writes nothing. It binds as the AD server record's account, or as {@code --bind-dn} with
 * {@code --bind-password} (a reference, never a literal; never printed). Exit codes: 0 done (or
 * nothing to do), 1 the configuration, the CA or the directory failed, 2 usage.
 */
@Command(name = "publish-ad", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Write the CA, its enrollment service and the templates into AD's Configuration partition.",
            "Writes under CN=Public Key Services,CN=Services,<configurationNamingContext>: the enrollment service",
            "CN=<windows.caName>,CN=Enrollment Services (dNSHostName, cACertificate, certificateTemplates,",
            "msPKI-Enrollment-Servers), the CA in CN=Certification Authorities, CN=AIA and CN=NTAuthCertificates,",
            "and the configured templates in CN=Certificate Templates. Only what differs is written."})
public final class PublishAdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the server's YAML configuration")
    Path configFile;

    @Option(names = "--ad-server", required = true, paramLabel = "ID",
            description = "the AD server record (hosts, SSL, trust) of the forest")
    String adServer;

    @Option(names = "--bind-dn", paramLabel = "DN", description = {
        "an account that may write the Configuration partition (Enterprise Admins);",
        "default: the record's bind account"})
    String bindDn;

    @Option(names = "--bind-password", paramLabel = "env:NAME|file:/path",
            description = "the password of --bind-dn as a reference, never the password itself")
    String bindPassword;

    @Option(names = "--dry-run", description = "print the changes as LDIF; write nothing")
    boolean dryRun;

    /** Runs the command on {@code args}; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new PublishAdCommand(), args, out, err);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SecretRef password = null;
        if ((bindDn != null) != (bindPassword != null)) {
            throw Cli.usage(spec, "--bind-dn and --bind-password go together");
        }
        if (bindDn != null && bindDn.isBlank()) {
            throw Cli.usage(spec, "--bind-dn is empty: anonymous binds are refused");
        }
        if (bindPassword != null) {
            try {
                password = secret(bindPassword);
            } catch (IllegalArgumentException e) {
                throw Cli.usage(spec, e.getMessage());
            }
        }
        ServerConfig config;
        AdServer server;
        AdPkiPublication publication;
        try {
            config = new ConfigLoader().load(configFile);
            server = adServer(config, adServer, bindDn, password);
            publication = publication(config);
        } catch (ConfigException | Problem e) {
            err.println("autoenroll publish-ad: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("autoenroll publish-ad: cannot read " + configFile + ": " + e.getMessage());
            return 1;
        }
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(LdapClients.settings(config.ldap()),
                LdapClients.trust(config.ldap()), ref -> Optional.of(server))) {
            AdPkiPublisher publisher = new AdPkiPublisher(lookup);
            if (dryRun) {
                AdPkiPublisher.Plan plan = publisher.plan(server, publication);
                out.println("# publish-ad --dry-run: nothing written; AD server " + server.id() + ", configuration "
                        + plan.configurationDn());
                for (AdPkiPublisher.Change change : plan.changes()) {
                    out.println("# " + word(change.outcome()) + " " + change.dn());
                }
                out.println();
                out.print(plan.ldif());
                return 0;
            }
            AdPkiPublisher.Plan plan = publisher.publish(server, publication);
            int[] counts = new int[AdPkiPublisher.Outcome.values().length];
            for (AdPkiPublisher.Change change : plan.changes()) {
                counts[change.outcome().ordinal()]++;
                out.println(word(change.outcome()) + " " + change.dn());
            }
            out.println(counts[0] + " added, " + counts[1] + " changed, " + counts[2] + " unchanged (AD server " + server.id() + ")");
            return 0;
        } catch (EnrollmentException e) {
            err.println("autoenroll publish-ad: " + e.number() + " " + e.codeName() + ": " + e.detail());
            e.hints().forEach(hint -> err.println("  " + hint));
            return 1;
        } catch (IOException | GeneralSecurityException e) {
            err.println("autoenroll publish-ad: cannot read the trusted certificates of the ldap section: " + e.getMessage());
            return 1;
        }
    }

    /** A password reference; the message never repeats what was given (it may be a password). */
    private static SecretRef secret(String reference) {
        try {
            return SecretRef.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bind-password must be env:NAME or file:/path, never the password itself");
        }
    }

    private static String word(AdPkiPublisher.Outcome outcome) {
        return switch (outcome) {
            case ADDED -> "added    ";
            case CHANGED -> "changed  ";
            case UNCHANGED -> "unchanged";
        };
    }

    /** The record {@code id}, bound as {@code bindDn} when given. */
    private static AdServer adServer(ServerConfig config, String id, String bindDn, SecretRef password) throws Problem {
        AdServer record = ServerModule.adServers(config).stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new Problem("no AD server " + id + " in the configuration"));
        if (bindDn == null) {
            return record;
        }
        return new AdServer(record.id(), record.windowsDomain(), record.hosts(), record.useSsl(), record.usersBaseDn(),
                bindDn, password);
    }

    private static AdPkiPublication publication(ServerConfig config) throws Problem {
        ServerConfig.Windows windows = config.windows();
        if (windows == null) {
            throw new Problem("the configuration has no windows section: it names the CA (caName) and the host (hostName)");
        }
        List<String> problems = new ArrayList<>();
        List<CertificateTemplate> templates = TemplateConfig.templates(config.templates(), problems);
        if (!problems.isEmpty()) {
            throw new Problem("templates: " + String.join("; ", problems));
        }
        for (CertificateTemplate template : templates) {
            if (template.renewalOnly() || template.subjectNames().contains(SubjectName.SID_URL)) {
                throw new Problem("template " + template.name() + " cannot be written to AD: AD templates have no "
                        + (template.renewalOnly() ? "renewal-only flag" : "flag for the SID URL form"));
            }
        }
        List<AdPkiPublication.EnrollmentServer> servers = WindowsEnrollment.cesUris(windows).stream()
                .map(u -> new AdPkiPublication.EnrollmentServer(u.priority(), u.authentication().wire(), u.renewalOnly(), u.uri()))
                .toList();
        String host = windows.hostName().replaceFirst(":[0-9]+$", "");
        return new AdPkiPublication(windows.caName(), host, caCertificate(config), templates, servers);
    }

    /**
     * The built-in CA's certificate. A keystore that does not exist yet is not created here; a
     * PKCS#11 token is opened as the server opens it (which generates the key in an empty token).
     */
    private static byte[] caCertificate(ServerConfig config) throws Problem {
        CaSettings settings;
        try {
            settings = ServerModule.caSettings(config);
        } catch (IllegalArgumentException e) {
            throw new Problem("ca: " + e.getMessage());
        }
        if (settings.pkcs11() == null && !Files.exists(settings.keystorePath())) {
            throw new Problem("no CA keystore at " + settings.keystorePath()
                    + ": start the server once (it creates the CA), then publish");
        }
        try {
            return BuiltInCa.open(settings, Clock.systemUTC()).caCertificateDer();
        } catch (CaStartupException e) {
            throw new Problem("the CA cannot be opened: " + e.getMessage());
        }
    }

    /** What stops the command before any LDAP traffic, in an operator's words. */
    private static final class Problem extends Exception {
        Problem(String message) {
            super(message);
        }
    }
}
