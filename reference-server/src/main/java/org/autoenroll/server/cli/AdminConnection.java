package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.security.GeneralSecurityException;
import picocli.CommandLine.Option;

/**
 * The options every administration command shares: the server, the operator's token reference
 * and the CA to trust. A picocli mixin.
 */
final class AdminConnection {
    @Option(names = "--url", required = true, paramLabel = "https://HOST:PORT",
            description = "the server's HTTPS base URL")
    String url;

    @Option(names = "--token", required = true, paramLabel = "env:NAME|file:/path",
            description = "where this operator's token is kept (admin.operators[].token, or admin.token); never the token itself")
    String token;

    @Option(names = "--cacert", paramLabel = "CA.pem",
            description = "the CA that signed the server's TLS certificate (default: the JVM's trust store)")
    String cacert;

    AdminClient.Answer call(String method, String pathAndQuery, Object body)
            throws IOException, GeneralSecurityException, InterruptedException {
        return AdminClient.call(url, token, cacert, method, pathAndQuery, body);
    }

    /** One call to the server, its failures turned into exit codes. */
    @FunctionalInterface
    interface Call {
        int run() throws IOException, GeneralSecurityException, InterruptedException;
    }

    /** Runs {@code call}: 1 when the server cannot be reached, 2 for a bad URL or token reference. */
    static int run(String command, PrintWriter err, Call call) {
        try {
            return call.run();
        } catch (IllegalArgumentException e) {
            err.println("autoenroll " + command + ": " + e.getMessage());
            return 2;
        } catch (IOException | GeneralSecurityException e) {
            err.println("autoenroll " + command + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
