package org.autoenroll.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pending}, {@code approve} and {@code deny}: a certificate manager lists the requests
 * that wait for approval and decides them through a running server's administration endpoints,
 * with an operator token of their own (the server records the operator's name with the decision).
 * Exit codes: 0 done, 1 refused or unreachable, 2 usage.
 */
public final class RequestCommands {
    /** Request ids as the server makes them: nothing that would change the path. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private RequestCommands() {
    }

    /** {@code pending}: one page of pending requests. */
    public static int pending(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new Pending(), args, out, err);
    }

    /** {@code approve}: an officer approves a pending request. */
    public static int approve(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new Approve(), args, out, err);
    }

    /** {@code deny}: an officer denies a pending request, optionally saying why. */
    public static int deny(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new Deny(), args, out, err);
    }

    /** One page of pending requests, one line each, then the next page's cursor. */
    @Command(name = "pending", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "List the requests waiting for approval, a page at a time.")
    public static final class Pending implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminConnection server;

        @Option(names = "--customer", paramLabel = "URI", description = "only this customer's requests")
        String customer;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "requests per page, 1-1000 (default 100)")
        int limit;

        @Option(names = "--after", paramLabel = "CURSOR", description = "the cursor printed after a full page, for the next page")
        String after;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1000) {
                throw Cli.usage(spec, "--limit must be between 1 and 1000");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Query query = new Query("/admin/v1/requests").add("state", "PENDING").add("customerUri", customer)
                    .add("limit", Integer.toString(limit)).add("after", after);
            return AdminConnection.run("pending", err, () -> {
                AdminClient.Answer answer = server.call("GET", query.toString(), null);
                if (answer.status() != 200) {
                    return AdminClient.refused("pending", answer, err);
                }
                for (JsonNode request : answer.body().path("requests")) {
                    out.println(request.path("requestId").asText() + "  " + request.path("createdAt").asText() + "  "
                            + request.path("owner").asText() + "  " + request.path("template").asText() + "  "
                            + request.path("customerUri").asText() + (request.path("expired").asBoolean() ? "  EXPIRED" : ""));
                }
                Query.printNext(answer, out);
                return 0;
            });
        }
    }

    /** An officer approves a pending request. */
    @Command(name = "approve", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Approve a pending request (needs an officer's token).")
    public static final class Approve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminConnection server;

        @Option(names = "--id", required = true, paramLabel = "REQUEST_ID", description = "the request, as pending lists it")
        String id;

        @Override
        public Integer call() {
            return decide("approve", spec, server, id, new LinkedHashMap<>());
        }
    }

    /** An officer denies a pending request. */
    @Command(name = "deny", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Deny a pending request (needs an officer's token).")
    public static final class Deny implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminConnection server;

        @Option(names = "--id", required = true, paramLabel = "REQUEST_ID", description = "the request, as pending lists it")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, recorded with the decision")
        String reason;

        @Override
        public Integer call() {
            Map<String, String> body = new LinkedHashMap<>();
            if (reason != null) {
                body.put("reason", reason);
            }
            return decide("deny", spec, server, id, body);
        }
    }

    private static int decide(String command, CommandSpec spec, AdminConnection server, String id, Map<String, String> body) {
        if (!REQUEST_ID.matcher(id).matches()) {
            throw Cli.usage(spec, "--id is not a request id (letters, digits, '.', '_', '-')");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return AdminConnection.run(command, err, () -> {
            AdminClient.Answer answer = server.call("POST", "/admin/v1/requests/" + id + "/" + command, body);
            if (answer.status() != 200) {
                return AdminClient.refused(command, answer, err);
            }
            out.println("request " + answer.body().path("requestId").asText() + " of " + answer.body().path("owner").asText()
                    + ": " + answer.body().path("state").asText() + " by " + answer.body().path("decidedBy").asText());
            return 0;
        });
    }
}
