package org.autoenroll.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code pending}, {@code approve} and {@code deny}: a certificate manager lists the requests
 * that wait for approval and decides them through a running server's administration endpoints,
 * with an operator token of their own (the server records the operator's name with the decision).
 * Exit codes: 0 done, 1 refused or unreachable, 2 usage.
 */
public final class RequestCommands {
    private static final String FLAGS = "           --token env:NAME|file:/path [--cacert CA.pem]";
    private static final String COMMON = String.join("\n",
            "",
            "  --token    where this operator's token is kept (admin.operators[].token, or admin.token)",
            "  --cacert   the CA that signed the server's TLS certificate (default: the JVM's trust store)");
    public static final String PENDING_USAGE = String.join("\n",
            "Usage: java -jar autoenroll-server.jar pending --url https://HOST:PORT [--customer URI] [--limit N]",
            "           [--after CURSOR] " + FLAGS.strip(),
            COMMON,
            "  --limit    requests per page, 1-1000 (default 100)",
            "  --after    the cursor printed after a full page, for the next page");
    public static final String APPROVE_USAGE = String.join("\n",
            "Usage: java -jar autoenroll-server.jar approve --url https://HOST:PORT --id REQUEST_ID",
            FLAGS, COMMON, "  (needs an officer's token)");
    public static final String DENY_USAGE = String.join("\n",
            "Usage: java -jar autoenroll-server.jar deny --url https://HOST:PORT --id REQUEST_ID [--reason TEXT]",
            FLAGS, COMMON, "  (needs an officer's token)");
    /** Request ids as the server makes them: nothing that would change the path. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private RequestCommands() {
    }

    /** {@code pending}: one page of pending requests, one line each, then the next page's cursor. */
    public static int pending(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> o = AdminClient.options("pending", PENDING_USAGE, args, err, new String[] {"--url", "--token"},
                "--url", "--token", "--cacert", "--customer", "--limit", "--after");
        if (o == null) {
            return 2;
        }
        StringBuilder query = new StringBuilder("/admin/v1/requests?state=PENDING");
        append(query, "customerUri", o.get("--customer"));
        append(query, "limit", o.get("--limit"));
        append(query, "after", o.get("--after"));
        return run("pending", err, () -> {
            AdminClient.Answer answer = AdminClient.call(o.get("--url"), o.get("--token"), o.get("--cacert"), "GET",
                    query.toString(), null);
            if (answer.status() != 200) {
                return AdminClient.refused("pending", answer, err);
            }
            for (JsonNode request : answer.body().path("requests")) {
                out.println(request.path("requestId").asText() + "  " + request.path("createdAt").asText() + "  "
                        + request.path("owner").asText() + "  " + request.path("template").asText() + "  "
                        + request.path("customerUri").asText() + (request.path("expired").asBoolean() ? "  EXPIRED" : ""));
            }
            if (!answer.body().path("next").isNull() && !answer.body().path("next").isMissingNode()) {
                out.println("more: --after " + answer.body().path("next").asText());
            }
            return 0;
        });
    }

    /** {@code approve}: an officer approves a pending request. */
    public static int approve(String[] args, PrintStream out, PrintStream err) {
        return decide("approve", APPROVE_USAGE, args, out, err);
    }

    /** {@code deny}: an officer denies a pending request, optionally saying why. */
    public static int deny(String[] args, PrintStream out, PrintStream err) {
        return decide("deny", DENY_USAGE, args, out, err);
    }

    private static int decide(String command, String usage, String[] args, PrintStream out, PrintStream err) {
        String[] allowed = command.equals("deny")
                ? new String[] {"--url", "--token", "--cacert", "--id", "--reason"}
                : new String[] {"--url", "--token", "--cacert", "--id"};
        Map<String, String> o = AdminClient.options(command, usage, args, err, new String[] {"--url", "--token", "--id"},
                allowed);
        if (o == null) {
            return 2;
        }
        String id = o.get("--id");
        if (!REQUEST_ID.matcher(id).matches()) {
            err.println("autoenroll " + command + ": --id is not a request id (letters, digits, '.', '_', '-')");
            return 2;
        }
        Map<String, String> body = new LinkedHashMap<>();
        if (o.containsKey("--reason")) {
            body.put("reason", o.get("--reason"));
        }
        return run(command, err, () -> {
            AdminClient.Answer answer = AdminClient.call(o.get("--url"), o.get("--token"), o.get("--cacert"), "POST",
                    "/admin/v1/requests/" + id + "/" + command, body);
            if (answer.status() != 200) {
                return AdminClient.refused(command, answer, err);
            }
            out.println("request " + answer.body().path("requestId").asText() + " of " + answer.body().path("owner").asText()
                    + ": " + answer.body().path("state").asText() + " by " + answer.body().path("decidedBy").asText());
            return 0;
        });
    }

    private static void append(StringBuilder query, String name, String value) {
        if (value != null) {
            query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    /** One call to the server, its failures turned into exit codes. */
    @FunctionalInterface
    private interface Call {
        int run() throws IOException, GeneralSecurityException, InterruptedException;
    }

    private static int run(String command, PrintStream err, Call call) {
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
