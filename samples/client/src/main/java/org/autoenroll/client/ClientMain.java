package org.autoenroll.client;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;

/**
 * {@code java -jar autoenroll-client.jar enroll ...}: one autoenrollment run (see
 * {@link ClientOptions#USAGE}). Exit codes: 0 everything due was done or waits for approval, 1 a
 * failure, reported with its code, name, message and hints; 2 usage.
 */
public final class ClientMain {
    private ClientMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(ClientOptions.USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (!args[0].equals("enroll")) {
            err.println("autoenroll-client: unknown command " + args[0]);
            err.println(ClientOptions.USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help")) {
            out.println(ClientOptions.USAGE);
            return 0;
        }
        ClientOptions options;
        try {
            options = ClientOptions.parse(rest);
        } catch (IllegalArgumentException e) {
            err.println("autoenroll-client: " + e.getMessage());
            err.println("(enroll --help for the options)");
            return 2;
        }
        try {
            LocalStore store = LocalStore.open(options);
            ServerApi api = new ServerApi(options, KerberosLogin.login(options));
            Autoenrollment.Outcome outcome = new Autoenrollment(options, store, api, Clock.systemUTC()).run();
            outcome.done().forEach(out::println);
            outcome.failures().forEach(f -> err.println("autoenroll-client: " + f.report()));
            return outcome.failures().isEmpty() ? 0 : 1;
        } catch (ClientFailure failure) {
            err.println("autoenroll-client: " + failure.report());
            return 1;
        }
    }
}
