package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.autoenroll.server.cli.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The server's own options (--config, --demo and the demo's), parsed by picocli and checked together. */
class MainTest {
    private static Main.Arguments parse(String... args) {
        Main main = new Main();
        Cli.commandLine(main, System.out, System.err).parseArgs(args);
        return main.arguments();
    }

    @Test
    void parse_demoDefaults() {
        Main.Arguments arguments = parse("--demo");

        assertTrue(arguments.demo());
        assertEquals(Path.of("demo-data"), arguments.dataDir());
        assertEquals(8443, arguments.port());
    }

    @Test
    void parse_demoWithDirAndPort() {
        Main.Arguments arguments = parse("--demo", "--data-dir", "/tmp/x", "--port", "0");

        assertEquals(Path.of("/tmp/x"), arguments.dataDir());
        assertEquals(0, arguments.port());
    }

    @Test
    void parse_config() {
        assertEquals(Path.of("a.yaml"), parse("--config", "a.yaml").config());
    }

    @Test
    void execute_help_exit0AndListsTheCommands() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Cli.commandLine(new Main(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                .execute("--help");
        assertEquals(0, exit);
        String help = out.toString(StandardCharsets.UTF_8);
        for (String named : new String[] {"--config", "--demo", "--data-dir", "--port", "revoke", "pending", "approve",
            "deny", "certificates", "expiry-report", "crl", "keytab", "verify-ad", "import-ad", "publish-ad",
            "verify-audit"}) {
            assertTrue(help.contains(named), named + " in " + help);
        }
    }

    @Test
    void parse_unknownFlag_refusedNamingIt() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> parse("--demo", "--verbose"));
        assertTrue(e.getMessage().contains("--verbose"));
    }

    @Test
    void parse_neitherOrBoth_refused() {
        assertThrows(CommandLine.ParameterException.class, () -> parse());
        assertThrows(CommandLine.ParameterException.class, () -> parse("--demo", "--config", "a.yaml"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--config", "a.yaml", "--port", "1"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--demo", "--port", "http"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--demo", "--port"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--demo", "--port", "70000"));
    }

    @Test
    void execute_neither_exit2WithMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.commandLine(new Main(), System.out, new PrintStream(err, true, StandardCharsets.UTF_8)).execute();
        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("give either --config FILE or --demo"),
                err.toString(StandardCharsets.UTF_8));
    }
}
