package org.autoenroll.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.autoenroll.server.audit.AuditChain;

/**
 * {@code verify-audit --file F}: checks the hash chain of an audit log and names the first broken
 * line. Reads the file only, so it may run beside the server that appends to it. Exit codes: 0 the
 * chain holds, 1 a line is broken or the file cannot be read, 2 usage.
 */
public final class VerifyAuditCommand {
    public static final String USAGE = String.join("\n",
            "Usage: java -jar autoenroll-server.jar verify-audit --file AUDIT.log",
            "",
            "  --file   the audit log (audit.file of the server's configuration)");

    private VerifyAuditCommand() {
    }

    /** Runs the command; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = AdminClient.options("verify-audit", USAGE, args, err, new String[] {"--file"}, "--file");
        if (options == null) {
            return 2;
        }
        Path file = Path.of(options.get("--file"));
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
