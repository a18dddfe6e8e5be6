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
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The command line (picocli): {@code --config FILE} runs the server from a configuration file;
 * {@code --demo [--data-dir DIR] [--port N]} runs the self-contained demo; the subcommands are the
 * operators' tools ({@code revoke}, {@code pending}, {@code certificates}, ... each with
 * {@code --help}). A JVM shutdown hook stops the server gracefully (Ctrl-C, SIGTERM). Exit codes:
 * 2 usage, 1 configuration or start-up failure (or a subcommand's failure), 0 help and version.
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
                DemoEnvironment demo = DemoEnvironment.start(arguments.dataDir(), arguments.port());
                Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "autoenroll-shutdown"));
                out.println();
                out.println(demo.instructions());
                out.println();
                out.flush();
            } else {
                ServerConfig config = new ConfigLoader().load(arguments.config());
                AutoenrollServer server = AutoenrollServer.create(config).start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "autoenroll-shutdown"));
            }
            serving = true;
            return 0;
        } catch (ConfigException e) {
            err.println("autoenroll: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            fail(err, e);
            return 1;
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
