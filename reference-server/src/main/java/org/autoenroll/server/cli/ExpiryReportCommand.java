package org.autoenroll.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code expiry-report}: the valid certificates expiring within the next N days, soonest first, a
 * page at a time, through a running server's admin API. Exit codes: 0 done, 1 refused or
 * unreachable, 2 usage.
 */
@Command(name = "expiry-report", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "List the valid certificates that expire within the next N days, soonest first.")
public final class ExpiryReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminConnection server;

    @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "the window, 1-3650 days (default 30)")
    int days;

    @Option(names = "--template", paramLabel = "NAME", description = "only this template's")
    String template;

    @Option(names = "--customer", paramLabel = "URI", description = "only this customer's")
    String customer;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "certificates per page, 1-500 (default 100)")
    int limit;

    @Option(names = "--after", paramLabel = "CURSOR", description = "the cursor printed after a full page, for the next page")
    String after;

    @Override
    public Integer call() {
        if (days < 1 || days > 3650) {
            throw Cli.usage(spec, "--days must be between 1 and 3650");
        }
        CertificatesCommand.checkLimit(spec, limit);
        Query query = new Query("/admin/v1/reports/expiry").add("days", days).add("template", template)
                .add("customerUri", customer).add("limit", limit).add("after", after);
        return CertificatesCommand.list("expiry-report", spec, server, query);
    }
}
