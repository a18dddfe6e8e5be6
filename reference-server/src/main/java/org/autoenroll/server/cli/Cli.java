package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;

/**
 * How every command of the jar runs under picocli: a wrong or missing option is one line naming
 * it, then the command's usage, exit code 2; an unexpected failure is one line (never a stack
 * trace, which could hold a secret's path or a server's answer), exit code 1; {@code --help} and
 * {@code --version} exit 0. Messages start with {@code autoenroll <command>:}. Stateless.
 */
public final class Cli {
    /** The jar as the usage lines name it. */
    public static final String JAR = "java -jar autoenroll-server.jar";

    private Cli() {
    }

    /** {@code command} in a command line with this project's handlers, writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(Object command, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(command);
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setParameterExceptionHandler((e, args) -> {
            PrintWriter writer = e.getCommandLine().getErr();
            // picocli reports missing options before unknown ones: an unknown one is the likelier mistake, so it goes first
            java.util.List<String> unknown = e.getCommandLine().getUnmatchedArguments();
            String message = e instanceof CommandLine.UnmatchedArgumentException || unknown.isEmpty() ? e.getMessage()
                    : "Unknown option" + (unknown.size() > 1 ? "s" : "") + ": " + String.join(", ", unknown)
                    + "; " + e.getMessage();
            writer.println("autoenroll " + name(e.getCommandLine()) + ": " + message);
            e.getCommandLine().usage(writer);
            writer.flush();
            return CommandLine.ExitCode.USAGE;
        });
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            PrintWriter writer = failed.getErr();
            writer.println("autoenroll " + name(failed) + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            writer.flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return line;
    }

    /** Runs one command on {@code args}: its exit code. */
    public static int run(Object command, String[] args, PrintStream out, PrintStream err) {
        CommandLine line = commandLine(command, out, err);
        try {
            return line.execute(args);
        } finally {
            line.getOut().flush();
            line.getErr().flush();
        }
    }

    /** The command's name below the jar: {@code revoke}, {@code certificates search}. */
    static String name(CommandLine line) {
        String qualified = line.getCommandSpec().qualifiedName(" ");
        return qualified.startsWith(JAR + " ") ? qualified.substring(JAR.length() + 1) : qualified;
    }

    /** A usage error from a command's own checks (exit code 2, with the usage). */
    public static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The project's version, from the filtered {@code autoenroll-version.properties}. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"autoenroll " + version()};
        }

        /** The version this jar was built as. */
        public static String version() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Cli.class.getResourceAsStream("/autoenroll-version.properties")) {
                if (in == null) {
                    throw new IOException("autoenroll-version.properties is missing from the jar");
                }
                properties.load(in);
            }
            return properties.getProperty("version");
        }
    }
}
