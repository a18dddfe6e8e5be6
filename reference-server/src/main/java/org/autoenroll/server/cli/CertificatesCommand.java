package org.autoenroll.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import org.autoenroll.api.CertificateState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code certificates search} and {@code certificates show}: an auditor or officer finds issued
 * certificates through a running server's admin API, a page at a time. Exit codes: 0 done, 1
 * refused or unreachable, 2 usage.
 */
@Command(name = "certificates", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Search issued certificates, or show one.",
        subcommands = {CertificatesCommand.Search.class, CertificatesCommand.Show.class})
public final class CertificatesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Cli.usage(spec, "name a subcommand: search or show");
    }

    /** One page of matching certificates, one line each, then the next page's cursor. */
    @Command(name = "search", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"List the certificates matching every filter given, a page at a time:",
                "by serial; by owner, by serial; otherwise by state, then (with --expiring-before) by expiry, then by serial."})
    public static final class Search implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminConnection server;

        @Option(names = "--owner", paramLabel = "PRINCIPAL", description = "the owner's principal, e.g. alice@EXAMPLE.COM")
        String owner;

        @Option(names = "--template", paramLabel = "NAME", description = "the template (profile) it was issued for")
        String template;

        @Option(names = "--serial", paramLabel = "HEX", converter = SerialConverter.class, description = "one serial")
        String serial;

        @Option(names = "--state", paramLabel = "STATE", description = "VALID or REVOKED")
        CertificateState state;

        @Option(names = "--expiring-before", paramLabel = "TIME",
                description = "only those whose notAfter is before this ISO-8601 UTC time, e.g. 2027-01-31T00:00:00Z")
        Instant expiringBefore;

        @Option(names = "--customer", paramLabel = "URI", description = "only this customer's")
        String customer;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "certificates per page, 1-500 (default 100)")
        int limit;

        @Option(names = "--after", paramLabel = "CURSOR", description = "the cursor printed after a full page, for the next page")
        String after;

        @Override
        public Integer call() {
            checkLimit(spec, limit);
            Query query = new Query("/admin/v1/certificates").add("owner", owner).add("template", template)
                    .add("serial", serial).add("state", state).add("expiringBefore", expiringBefore)
                    .add("customerUri", customer).add("limit", limit).add("after", after);
            return list("certificates search", spec, server, query);
        }
    }

    /** One certificate: its record, then its PEM. */
    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Show one certificate: its record and its PEM.")
    public static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminConnection server;

        @Option(names = "--serial", required = true, paramLabel = "HEX", converter = SerialConverter.class,
                description = "the certificate's serial in hex, as the API writes it")
        String serial;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return AdminConnection.run("certificates show", err, () -> {
                AdminClient.Answer answer = server.call("GET", "/admin/v1/certificates/" + serial, null);
                if (answer.status() != 200) {
                    return AdminClient.refused("certificates show", answer, err);
                }
                for (Iterator<Map.Entry<String, JsonNode>> fields = answer.body().fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (!field.getKey().equals("certificate")) {
                        out.println(field.getKey() + ": " + field.getValue().asText());
                    }
                }
                out.print(answer.body().path("certificate").asText());
                out.flush();
                return 0;
            });
        }
    }

    static void checkLimit(CommandSpec spec, int limit) {
        if (limit < 1 || limit > 500) {
            throw Cli.usage(spec, "--limit must be between 1 and 500");
        }
    }

    /** Prints a page of certificates, one line each, and the next page's option. */
    static int list(String command, CommandSpec spec, AdminConnection server, Query query) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return AdminConnection.run(command, err, () -> {
            AdminClient.Answer answer = server.call("GET", query.toString(), null);
            if (answer.status() != 200) {
                return AdminClient.refused(command, answer, err);
            }
            for (JsonNode certificate : answer.body().path("certificates")) {
                out.println(certificate.path("serial").asText() + "  " + certificate.path("state").asText() + "  "
                        + certificate.path("notAfter").asText() + "  " + certificate.path("owner").asText() + "  "
                        + certificate.path("template").asText() + "  " + certificate.path("customerUri").asText());
            }
            Query.printNext(answer, out);
            return 0;
        });
    }
}
