package org.autoenroll.server.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code revoke}: an operator revokes a certificate through a running server's administration
 * endpoint, so that the H2 file of a running server is never opened twice and the CRL and OCSP
 * answers change at once. Exit codes: 0 revoked, 1 refused or unreachable, 2 usage.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Revoke a certificate through a running server (needs an officer's token).")
public final class RevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminConnection server;

    @Option(names = "--serial", required = true, paramLabel = "HEX", converter = SerialConverter.class,
            description = "the certificate's serial in hex, as the API writes it")
    String serial;

    @Option(names = "--reason", required = true, paramLabel = "NAME",
            description = "an RFC 5280 CRLReason: keyCompromise, affiliationChanged, superseded, cessationOfOperation,"
                    + " certificateHold, privilegeWithdrawn, unspecified")
    String reason;

    /** Runs the command on {@code args}; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new RevokeCommand(), args, out, err);
    }

    @Override
    public Integer call() {
        return AdminConnection.run("revoke", spec.commandLine().getErr(), () -> {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("serial", serial);
            body.put("reason", reason);
            AdminClient.Answer answer = server.call("POST", "/admin/v1/revoke", body);
            if (answer.status() == 200) {
                spec.commandLine().getOut().println("revoked " + answer.body().path("serial").asText() + " of "
                        + answer.body().path("owner").asText() + ": " + answer.body().path("reason").asText());
                return 0;
            }
            return AdminClient.refused("revoke", answer, spec.commandLine().getErr());
        });
    }
}
