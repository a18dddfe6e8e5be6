package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

/**
 * The AD server registry from the command line: {@code verify-ad} binds to each configured AD
 * server and reads its users base DN, saying in an operator's words which step failed (DNS, TCP,
 * TLS trust, bind, base DN); {@code import-ad} turns a CSV export into the {@code adServers:}
 * section of the configuration. Exit codes: 0 fine, 1 a server failed or the input is invalid, 2 usage.
 */
public final class AdServersCommand {
    public static final String USAGE = String.join("\n",
            "Usage: java -jar autoenroll-server.jar verify-ad --config FILE [--id AD_SERVER_ID]",
            "       java -jar autoenroll-server.jar import-ad --csv FILE",
            "",
            "  import-ad reads a CSV with the header id,windowsDomain,hosts,ssl,usersBaseDn,bindDn,bindPassword[,defaultForCustomer]",
            "  (hosts separated by ';', bindPassword as env:NAME or file:/path) and prints YAML for the configuration.");

    private AdServersCommand() {
    }

    public static int verify(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options;
        try {
            options = Options.parse(args, "--config", "--id");
            if (!options.containsKey("--config")) {
                throw new IllegalArgumentException("--config is required");
            }
        } catch (IllegalArgumentException e) {
            err.println("autoenroll verify-ad: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<AdServer> servers;
        AdServerVerifier verifier;
        try {
            ServerConfig config = new ConfigLoader().load(Path.of(options.get("--config")));
            servers = adServers(config, options.get("--id"));
            verifier = new AdServerVerifier(LdapClients.settings(config.ldap()), LdapClients.trust(config.ldap()));
        } catch (ConfigException e) {
            err.println("autoenroll verify-ad: " + e.getMessage());
            return 1;
        } catch (IOException | java.security.GeneralSecurityException e) {
            err.println("autoenroll verify-ad: cannot read " + options.get("--config") + " or its trusted certificates: "
                    + e.getMessage());
            return 1;
        }
        if (servers.isEmpty()) {
            err.println("autoenroll verify-ad: no AD server " + (options.containsKey("--id") ? options.get("--id") + " " : "")
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

    public static int importCsv(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options;
        try {
            options = Options.parse(args, "--csv");
            if (!options.containsKey("--csv")) {
                throw new IllegalArgumentException("--csv is required");
            }
        } catch (IllegalArgumentException e) {
            err.println("autoenroll import-ad: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<AdServerCsv.Row> rows;
        try (Reader reader = Files.newBufferedReader(Path.of(options.get("--csv")), StandardCharsets.UTF_8)) {
            rows = AdServerCsv.parse(reader);
        } catch (AdServerCsv.CsvException e) {
            err.println("autoenroll import-ad: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("autoenroll import-ad: cannot read " + options.get("--csv") + ": " + e.getMessage());
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
