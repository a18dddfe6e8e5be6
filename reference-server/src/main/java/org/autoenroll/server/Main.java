package org.autoenroll.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.autoenroll.server.cli.AdServersCommand;
import org.autoenroll.server.cli.KeytabCommand;
import org.autoenroll.server.cli.PublishAdCommand;
import org.autoenroll.server.cli.RequestCommands;
import org.autoenroll.server.cli.RevokeCommand;
import org.autoenroll.server.cli.VerifyAuditCommand;
import org.autoenroll.server.config.ConfigException;
import org.autoenroll.server.config.ConfigLoader;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.demo.DemoEnvironment;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The command line: {@code --config FILE} runs the server from a configuration file;
 * {@code --demo [--data-dir DIR] [--port N]} runs the self-contained demo. A JVM shutdown hook
 * stops the server gracefully (Ctrl-C, SIGTERM); SIGHUP reloads the configuration file. Exit codes: 2 usage, 1 configuration or start-up
 * failure.
 */
public final class Main {
    static final String USAGE = String.join("\n",
            "Usage: java -jar autoenroll-server.jar --config FILE",
            "       java -jar autoenroll-server.jar --demo [--data-dir DIR] [--port N]",
            "       java -jar autoenroll-server.jar revoke ...   (revoke --help for its options)",
            "       java -jar autoenroll-server.jar pending|approve|deny ...   (requests waiting for approval)",
            "       java -jar autoenroll-server.jar keytab ...   (keytab --help: the ktpass equivalent)",
            "       java -jar autoenroll-server.jar verify-ad --config FILE [--id ID]   (bind and read each AD server)",
            "       java -jar autoenroll-server.jar import-ad --csv FILE   (AD server records from CSV, as YAML)",
            "       java -jar autoenroll-server.jar publish-ad --config FILE --ad-server ID [--dry-run] ...   (CA, CES and templates into AD)",
            "       java -jar autoenroll-server.jar verify-audit --file FILE   (check the audit log's hash chain)",
            "",
            "  --config FILE   run with the YAML configuration FILE",
            "  --demo          run the self-contained demo (KDC, directory, CA, HTTPS on localhost)",
            "  --data-dir DIR  demo data directory (default ./demo-data)",
            "  --port N        demo HTTPS port (default 8443; 0 picks a free one)");

    /** A subcommand: its arguments in, its exit code out. */
    @FunctionalInterface
    interface Command {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    static final Map<String, Command> COMMANDS = Map.of(
            "revoke", RevokeCommand::run,
            "pending", RequestCommands::pending,
            "approve", RequestCommands::approve,
            "deny", RequestCommands::deny,
            "keytab", KeytabCommand::run,
            "verify-ad", AdServersCommand::verify,
            "import-ad", AdServersCommand::importCsv,
            "publish-ad", PublishAdCommand::run,
            "verify-audit", VerifyAuditCommand::run);

    /** A class of the demo's KDC, which the slim distribution keeps out of lib/ (it is in lib/demo/). */
    static final String DEMO_KDC_CLASS = "org.apache.kerby.kerberos.kerb.server.SimpleKdcServer";
    static final String DEMO_JARS_MISSING = String.join("\n",
            "autoenroll: --demo needs the demo jars, which are not on the class path: Apache Kerby's KDC",
            "  (kerb-simplekdc and what it brings). The release tarball keeps them in lib/demo/ and bin/autoenroll --demo",
            "  adds them; java -jar autoenroll-server.jar (the build's fat jar) has them. A server run with --config",
            "  does not need them.");

    private Main() {
    }

    /** True when the demo's KDC can be loaded: the fat jar, or the slim one with lib/demo/ on the class path. */
    static boolean demoJarsPresent(ClassLoader loader) {
        try {
            Class.forName(DEMO_KDC_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Parsed command line. */
    record Arguments(Path config, boolean demo, Path dataDir, int port) {
    }

    public static void main(String[] args) {
        if (args.length > 0 && COMMANDS.containsKey(args[0])) {
            System.exit(COMMANDS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        Arguments arguments;
        try {
            arguments = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("autoenroll: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (arguments == null) {
            System.out.println(USAGE);
            return;
        }
        configureLogging();
        try {
            if (arguments.demo()) {
                if (!demoJarsPresent(Main.class.getClassLoader())) {
                    System.err.println(DEMO_JARS_MISSING);
                    System.exit(1);
                    return;
                }
                DemoEnvironment demo = DemoEnvironment.start(arguments.dataDir(), arguments.port());
                Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "autoenroll-shutdown"));
                System.out.println();
                System.out.println(demo.instructions());
                System.out.println();
            } else {
                ServerConfig config = new ConfigLoader().load(arguments.config());
                AutoenrollServer server = AutoenrollServer.create(config).reloadableFrom(arguments.config()).start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "autoenroll-shutdown"));
                reloadOnHangup(server);
                // Type=notify units: READY=1 once HTTPS serves (see SystemdNotify for why a child process)
                new SystemdNotify(System.getenv(), "systemd-notify").ready(ProcessHandle.current().pid(),
                        "serving on port " + server.port());
            }
        } catch (ConfigException | ListenException e) {
            // the operator's mistake, said in words: no stack trace
            System.err.println("autoenroll: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            fail(System.err, e);
            System.exit(1);
        }
    }

    /** @return null when help was asked for */
    static Arguments parse(String[] args) {
        Path config = null;
        boolean demo = false;
        Path dataDir = null;
        Integer port = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--demo" -> demo = true;
                case "--config" -> config = Path.of(value(args, ++i, arg));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--port" -> {
                    String v = value(args, ++i, arg);
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number, got " + v);
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be 0-65535");
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (demo == (config != null)) {
            throw new IllegalArgumentException("give either --config FILE or --demo");
        }
        if (!demo && (dataDir != null || port != null)) {
            throw new IllegalArgumentException("--data-dir and --port belong to --demo; the configuration file sets them");
        }
        return new Arguments(config, demo, dataDir == null ? Path.of("demo-data") : dataDir, port == null ? 8443 : port);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /**
     * SIGHUP reloads the configuration file, as systemd's {@code ExecReload=kill -HUP $MAINPID} expects. A signal
     * handler is process-wide by nature, so it is installed here, in the process's main, never by the library.
     */
    static void reloadOnHangup(AutoenrollServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                // off the signal thread: a reload opens keytabs and builds pools
                Thread reload = new Thread(server::reload, "sighup-reload");
                reload.setDaemon(true);
                reload.start();
            });
        } catch (IllegalArgumentException e) {
            // no SIGHUP on this platform (Windows): the admin call still reloads
        }
    }

    private static void configureLogging() {
        // Undertow and xnio log through JBoss Logging, Guice through java.util.logging: both to SLF4J.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    private static void fail(PrintStream err, Throwable e) {
        err.println("autoenroll: start-up failed: " + e);
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            err.println("  caused by: " + cause);
        }
    }
}
