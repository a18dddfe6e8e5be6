package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.autoenroll.api.AdServer;
import org.autoenroll.ldap.internal.AdServerRules;
import org.autoenroll.ldap.internal.AdServerCsv;
import org.autoenroll.ldap.AdServerVerifier;
import org.autoenroll.server.ServerModule;
import org.autoenroll.server.config.ConfigException;
import org.autoenroll.server.config.ConfigLoader;
import org.autoenroll.server.config.LdapClients;
import org.autoenroll.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The AD server registry from the command line: {@code verify-ad} binds to each configured AD
 * server and reads its users base DN, saying in an operator's words which step failed (DNS, TCP,
 * TLS trust, bind, base DN); {@code import-ad} turns a CSV export into the {@code adServers:}
 * section of the configuration. Exit codes: 0 fine, 1 a server failed or the input is invalid, 2 usage.
 */
public final class AdServersCommand {
    private AdServersCommand() {
    }

    /** {@code verify-ad} on {@code args}: the process exit code. */
    public static int verify(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new Verify(), args, out, err);
    }

    /** {@code import-ad} on {@code args}: the process exit code. */
    public static int importCsv(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new Import(), args, out, err);
    }

    /** Binds to each configured AD server and reads its users base DN. */
    @Command(name = "verify-ad", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Bind to each configured AD server and read its users base DN, naming the step that fails.")
    public static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the server's YAML configuration")
        Path configFile;

        @Option(names = "--id", paramLabel = "AD_SERVER_ID", description = "only this AD server record")
        String id;

        @Override
        public Integer call() {
            return verify(configFile, id, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** Turns a CSV export into the adServers section. */
    @Command(name = "import-ad", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Print the adServers section of the configuration from a CSV with the header",
                "id,windowsDomain,hosts,ssl,usersBaseDn,bindDn,bindPassword[,defaultForCustomer]",
                "(hosts separated by ';', bindPassword as env:NAME or file:/path)."})
    public static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--csv", required = true, paramLabel = "FILE", description = "the CSV export")
        Path csv;

        @Override
        public Integer call() {
            return importCsv(csv, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    private static int verify(Path configFile, String id, PrintWriter out, PrintWriter err) {
        List<AdServer> servers;
        AdServerVerifier verifier;
        try {
            ServerConfig config = new ConfigLoader().load(configFile);
            servers = adServers(config, id);
            verifier = new AdServerVerifier(LdapClients.settings(config.ldap()), LdapClients.trust(config.ldap()));
        } catch (ConfigException e) {
            err.println("autoenroll verify-ad: " + e.getMessage());
            return 1;
        } catch (IOException | java.security.GeneralSecurityException e) {
            err.println("autoenroll verify-ad: cannot read " + configFile + " or its trusted certificates: "
                    + e.getMessage());
            return 1;
        }
        if (servers.isEmpty()) {
            err.println("autoenroll verify-ad: no AD server " + (id != null ? id + " " : "")
                    + "in the configuration");
            return 1;
        }
        boolean allOk = true;
        for (AdServer server : servers) {
            AdServerVerifier.Report report = verifier.verify(server);
            allOk &= report.ok();
            out.println((report.ok() ? "OK     " : "FAILED ") + server.id() + " (" + server.windowsDomain() + "): " + report.message());
            for (AdServerVerifier.HostReport host : report.hosts()) {
                out.println("  " + host.endpoint() + ": " + host.steps().stream()
                        .map(step -> step.step() + (step.ok() ? " ok" : " FAILED: " + step.message()))
                        .collect(Collectors.joining(", ")));
            }
        }
        return allOk ? 0 : 1;
    }

    private static List<AdServer> adServers(ServerConfig config, String id) {
        return ServerModule.adServers(config).stream().filter(s -> id == null || s.id().equals(id)).toList();
    }

    private static int importCsv(Path csv, PrintWriter out, PrintWriter err) {
        List<AdServerCsv.Row> rows;
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            rows = AdServerCsv.parse(reader);
        } catch (AdServerCsv.CsvException e) {
            err.println("autoenroll import-ad: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("autoenroll import-ad: cannot read " + csv + ": " + e.getMessage());
            return 1;
        }
        out.println("adServers:");
        for (AdServerCsv.Row row : rows) {
            AdServer server = row.server();
            out.println("  - id: " + quoted(server.id()));
            out.println("    windowsDomain: " + quoted(server.windowsDomain()));
            out.println("    hosts: [" + server.hosts().stream().map(AdServerRules::format).map(AdServersCommand::quoted)
                    .collect(Collectors.joining(", ")) + "]");
            out.println("    ssl: " + server.useSsl());
            out.println("    usersBaseDn: " + quoted(server.usersBaseDn()));
            out.println("    bindDn: " + quoted(server.bindDn()));
            out.println("    bindPassword: " + quoted(server.bindPassword().toString()));
        }
        List<AdServerCsv.Row> defaults = rows.stream().filter(AdServerCsv.Row::isDefault).toList();
        if (!defaults.isEmpty()) {
            out.println("# defaults: set defaultAdServer of these customers");
            for (AdServerCsv.Row row : defaults) {
                out.println("#   customer " + quoted(row.defaultForCustomer()) + " -> defaultAdServer: " + quoted(row.server().id()));
            }
        }
        return 0;
    }

    /** A YAML double-quoted scalar: values come from a file an operator may not have written. */
    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
