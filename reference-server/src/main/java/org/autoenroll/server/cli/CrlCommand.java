package org.autoenroll.server.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code crl publish}: an officer has a running server build and serve a new full CRL now.
 * Exit codes: 0 published, 1 refused or unreachable, 2 usage.
 */
@Command(name = "crl", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "The CRL of a running server.", subcommands = CrlCommand.Publish.class)
public final class CrlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Cli.usage(spec, "name a subcommand: publish");
    }

    /** Publishes a new full CRL now. */
    @Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Build, sign and serve a new full CRL now (needs an officer's token).")
    public static final class Publish implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminConnection server;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return AdminConnection.run("crl publish", err, () -> {
                AdminClient.Answer answer = server.call("POST", "/admin/v1/crl", Map.of());
                if (answer.status() != 200) {
                    return AdminClient.refused("crl publish", answer, err);
                }
                out.println("published CRL number " + answer.body().path("crlNumber").asText() + ": thisUpdate "
                        + answer.body().path("thisUpdate").asText() + ", nextUpdate "
                        + answer.body().path("nextUpdate").asText() + ", " + answer.body().path("bytes").asLong() + " bytes");
                return 0;
            });
        }
    }
}
