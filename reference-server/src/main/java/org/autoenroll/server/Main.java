package org.autoenroll.server;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.autoenroll.server.cli.AdServersCommand;
import org.autoenroll.server.cli.CertificatesCommand;
import org.autoenroll.server.cli.Cli;
import org.autoenroll.server.cli.CrlCommand;
import org.autoenroll.server.cli.ExpiryReportCommand;
import org.autoenroll.server.cli.KeytabCommand;
import org.autoenroll.server.cli.PublishAdCommand;
import org.autoenroll.server.cli.RequestCommands;
import org.autoenroll.server.cli.RevokeCommand;
import org.autoenroll.server.cli.VerifyAuditCommand;
import org.autoenroll.server.config.ConfigException;
import org.autoenroll.server.config.ConfigLoader;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.demo.DemoEnvironment;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The command line (picocli): {@code --config FILE} runs the server from a configuration file;
 * {@code --demo [--data-dir DIR] [--port N]} runs the self-contained demo; the subcommands are the
 * operators' tools ({@code revoke}, {@code pending}, {@code certificates}, ... each with
 * {@code --help}). A JVM shutdown hook stops the server gracefully (Ctrl-C, SIGTERM); SIGHUP reloads
 * the configuration file. Exit codes: 2 usage, 1 configuration or start-up failure (or a subcommand's failure), 0 help and version.
 */
@Command(name = Cli.JAR, mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Runs the autoenroll reference server (--config or --demo), or one of the operators' commands.",
        subcommands = {RevokeCommand.class, RequestCommands.Pending.class, RequestCommands.Approve.class,
            RequestCommands.Deny.class, CertificatesCommand.class, ExpiryReportCommand.class, CrlCommand.class,
            KeytabCommand.class, AdServersCommand.Verify.class, AdServersCommand.Import.class, PublishAdCommand.class,
            VerifyAuditCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "run with the YAML configuration FILE")
    Path config;

    @Option(names = "--demo", description = "run the self-contained demo (KDC, directory, CA, HTTPS on localhost)")
    boolean demo;

    /** A class of the demo's KDC, which the slim distribution keeps out of lib/ (it is in lib/demo/). */
    static final String DEMO_KDC_CLASS = "org.apache.kerby.kerberos.kerb.server.SimpleKdcServer";
    static final String DEMO_JARS_MISSING = String.join("\n",
            "autoenroll: --demo needs the demo jars, which are not on the class path: Apache Kerby's KDC",
            "  (kerb-simplekdc and what it brings). The release tarball keeps them in lib/demo/ and bin/autoenroll --demo",
            "  adds them; java -jar autoenroll-server.jar (the build's fat jar) has them. A server run with --config",
            "  does not need them.");

    /** True when the demo's KDC can be loaded: the fat jar, or the slim one with lib/demo/ on the class path. */
    static boolean demoJarsPresent(ClassLoader loader) {
        try {
            Class.forName(DEMO_KDC_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Option(names = "--data-dir", paramLabel = "DIR", description = "demo data directory (default ./demo-data)")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", description = "demo HTTPS port (default 8443; 0 picks a free one)")
    Integer port;

    /** True once a server or the demo runs: the JVM then lives on in their threads. */
    private boolean serving;

    /** Parsed command line of the server itself. */
    record Arguments(Path config, boolean demo, Path dataDir, int port) {
    }

    public static void main(String[] args) {
        Main main = new Main();
        int exit = Cli.commandLine(main, System.out, System.err).execute(args);
        if (!main.serving) {
            System.exit(exit);
        }
    }

    /** The server's options checked together: either --config or --demo, and the demo's own options only with it. */
    Arguments arguments() {
        if (demo == (config != null)) {
            throw Cli.usage(spec, "give either --config FILE or --demo (or a command: --help lists them)");
        }
        if (!demo && (dataDir != null || port != null)) {
            throw Cli.usage(spec, "--data-dir and --port belong to --demo; the configuration file sets them");
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw Cli.usage(spec, "--port must be 0-65535");
        }
        return new Arguments(config, demo, dataDir == null ? Path.of("demo-data") : dataDir, port == null ? 8443 : port);
    }

    @Override
    public Integer call() {
        Arguments arguments = arguments();
        configureLogging();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (arguments.demo()) {
                if (!demoJarsPresent(Main.class.getClassLoader())) {
                    err.println(DEMO_JARS_MISSING);
                    return 1;
                }
                DemoEnvironment demo = DemoEnvironment.start(arguments.dataDir(), arguments.port());
                Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "autoenroll-shutdown"));
                out.println();
                out.println(demo.instructions());
                out.println();
                out.flush();
            } else {
                ServerConfig config = new ConfigLoader().load(arguments.config());
                AutoenrollServer server = AutoenrollServer.create(config).reloadableFrom(arguments.config()).start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "autoenroll-shutdown"));
                reloadOnHangup(server);
                // Type=notify units: READY=1 once HTTPS serves (see SystemdNotify for why a child process)
                new SystemdNotify(System.getenv(), "systemd-notify").ready(ProcessHandle.current().pid(),
                        "serving on port " + server.port());
            }
            serving = true;
            return 0;
        } catch (ConfigException | ListenException e) {
            // the operator's mistake, said in words: no stack trace
            err.println("autoenroll: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            fail(err, e);
            return 1;
        }
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
            // no SIGHUP on this platform (Windows), or the parent ignores it (nohup): the admin call still reloads
            LoggerFactory.getLogger(Main.class).warn("SIGHUP cannot reload the configuration here ({}): use POST /admin/v1/reload",
                    e.getMessage());
        }
    }

    private static void configureLogging() {
        // Undertow and xnio log through JBoss Logging, Guice through java.util.logging: both to SLF4J.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    private static void fail(PrintWriter err, Throwable e) {
        err.println("autoenroll: start-up failed: " + e);
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            err.println("  caused by: " + cause);
        }
        err.flush();
    }
}
