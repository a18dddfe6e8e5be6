package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.autoenroll.server.audit.AuditChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify-audit --file F}: checks the hash chain of an audit log and names the first broken
 * line. Reads the file only, so it may run beside the server that appends to it. Exit codes: 0 the
 * chain holds, 1 a line is broken or the file cannot be read, 2 usage.
 */
@Command(name = "verify-audit", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Check the audit log's hash chain; name the first broken line.")
public final class VerifyAuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--file", required = true, paramLabel = "AUDIT.log",
            description = "the audit log (audit.file of the server's configuration)")
    Path file;

    /** Runs the command on {@code args}; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new VerifyAuditCommand(), args, out, err);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AuditChain.Verdict verdict = AuditChain.verify(file);
            if (verdict.intact()) {
                out.println(file + ": " + verdict.validLines() + " lines, chain intact");
                return 0;
            }
            err.println(file + ": line " + verdict.brokenLine() + " is broken: " + verdict.reason() + " ("
                    + verdict.validLines() + " lines before it hold)");
            return 1;
        } catch (IOException e) {
            err.println("autoenroll verify-audit: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }
}
