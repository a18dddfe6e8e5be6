package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code revoke}: an operator revokes a certificate through a running server's administration
 * endpoint, so that the H2 file of a running server is never opened twice and the CRL and OCSP
 * answers change at once. Exit codes: 0 revoked, 1 refused or unreachable, 2 usage.
 */
public final class RevokeCommand {
    public static final String USAGE = String.join("\n",
            "Usage: java -jar autoenroll-server.jar revoke --url https://HOST:PORT --serial HEX --reason NAME",
            "           --token env:NAME|file:/path [--cacert CA.pem]",
            "",
            "  --reason   an RFC 5280 CRLReason: keyCompromise, affiliationChanged, superseded,",
            "             cessationOfOperation, certificateHold, privilegeWithdrawn, unspecified",
            "  --token    where an officer's token is kept (admin.operators[].token, or admin.token)",
            "  --cacert   the CA that signed the server's TLS certificate (default: the JVM's trust store)");

    private RevokeCommand() {
    }

    /** Runs the command; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = AdminClient.options("revoke", USAGE, args, err,
                new String[] {"--url", "--serial", "--reason", "--token"},
                "--url", "--serial", "--reason", "--token", "--cacert");
        if (options == null) {
            return 2;
        }
        try {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("serial", options.get("--serial"));
            body.put("reason", options.get("--reason"));
            AdminClient.Answer answer = AdminClient.call(options.get("--url"), options.get("--token"),
                    options.get("--cacert"), "POST", "/admin/v1/revoke", body);
            if (answer.status() == 200) {
                out.println("revoked " + answer.body().path("serial").asText() + " of "
                        + answer.body().path("owner").asText() + ": " + answer.body().path("reason").asText());
                return 0;
            }
            return AdminClient.refused("revoke", answer, err);
        } catch (IllegalArgumentException e) {
            err.println("autoenroll revoke: " + e.getMessage());
            return 2;
        } catch (IOException | GeneralSecurityException e) {
            err.println("autoenroll revoke: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
