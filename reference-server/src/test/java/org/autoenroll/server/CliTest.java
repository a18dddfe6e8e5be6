package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.autoenroll.server.cli.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command of the jar, through the same command line as {@code main}: {@code --help} exits 0
 * and names each of its options; {@code --version} prints the project's version; an unknown or
 * missing option is a one-line message naming it, then the usage, exit code 2.
 */
class CliTest {
    /** The exit code and what was written. */
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.commandLine(new Main(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command and subcommand, as the words that name it. */
    private static List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), all);
        return all;
    }

    private static void collect(CommandLine line, List<String> words, List<List<String>> all) {
        for (Map.Entry<String, CommandLine> sub : line.getSubcommands().entrySet()) {
            List<String> path = new ArrayList<>(words);
            path.add(sub.getKey());
            all.add(path);
            collect(sub.getValue(), path, all);
        }
    }

    private static CommandLine.Model.CommandSpec spec(List<String> words) {
        CommandLine line = new CommandLine(new Main());
        for (String word : words) {
            line = line.getSubcommands().get(word);
        }
        return line.getCommandSpec();
    }

    @Test
    void everyCommand_help_exit0AndNamesEachOption() {
        List<List<String>> commands = commands();
        assertTrue(commands.size() >= 15, commands.toString());
        for (List<String> words : commands) {
            List<String> args = new ArrayList<>(words);
            args.add("--help");
            Run help = run(args.toArray(String[]::new));
            assertEquals(0, help.exit(), words + ": " + help.err());
            for (CommandLine.Model.OptionSpec option : spec(words).options()) {
                assertTrue(help.out().contains(option.longestName()), words + " help names " + option.longestName()
                        + ":\n" + help.out());
            }
        }
    }

    @Test
    void everyCommand_unknownOption_exit2NamingIt() {
        for (List<String> words : commands()) {
            List<String> args = new ArrayList<>(words);
            args.add("--no-such-option");
            Run wrong = run(args.toArray(String[]::new));
            assertEquals(2, wrong.exit(), words + ": " + wrong.err());
            String first = wrong.err().lines().findFirst().orElse("");
            assertTrue(first.startsWith("autoenroll " + String.join(" ", words) + ": ") && first.contains("--no-such-option"),
                    words + ": " + wrong.err());
            assertTrue(wrong.err().contains("Usage:"), wrong.err());
            assertFalse(wrong.err().contains("\tat "), "no stack trace: " + wrong.err());
        }
    }

    @Test
    void version_printsTheProjectVersion() throws Exception {
        for (String[] args : new String[][] {{"--version"}, {"revoke", "--version"}, {"certificates", "search", "--version"}}) {
            Run version = run(args);
            assertEquals(0, version.exit(), version.err());
            assertEquals("autoenroll " + Cli.Version.version(), version.out().strip());
        }
        assertTrue(Cli.Version.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), Cli.Version.version());
    }

    @Test
    void missingOrMistypedOption_exit2NamingIt() {
        Run missing = run("revoke", "--serial", "01");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--url") && missing.err().contains("--reason"), missing.err());
        Run serial = run("certificates", "show", "--url", "https://x", "--token", "env:T", "--serial", "xyz");
        assertEquals(2, serial.exit());
        assertTrue(serial.err().contains("--serial") && serial.err().contains("hex"), serial.err());
        Run state = run("certificates", "search", "--url", "https://x", "--token", "env:T", "--state", "EXPIRED");
        assertEquals(2, state.exit());
        assertTrue(state.err().contains("--state"), state.err());
        Run days = run("expiry-report", "--url", "https://x", "--token", "env:T", "--days", "0");
        assertEquals(2, days.exit());
        assertTrue(days.err().contains("--days"), days.err());
        Run limit = run("pending", "--url", "https://x", "--token", "env:T", "--limit", "many");
        assertEquals(2, limit.exit());
        assertTrue(limit.err().contains("--limit"), limit.err());
        Run noSub = run("crl");
        assertEquals(2, noSub.exit());
        assertTrue(noSub.err().contains("publish"), noSub.err());
    }
}
