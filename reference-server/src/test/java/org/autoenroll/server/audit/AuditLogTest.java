package org.autoenroll.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.autoenroll.server.cli.VerifyAuditCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log's chain holds for what it wrote, across reopening and concurrent writers, and an
 * edited, removed, inserted or reordered line is reported at its own line number.
 */
class AuditLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A log of {@code n} events ISSUED with serials 1..n. */
    private Path logOf(int n) throws IOException {
        Path file = dir.resolve("audit.log");
        try (AuditLog log = AuditLog.open(file, CLOCK)) {
            for (int i = 1; i <= n; i++) {
                log.record("ISSUED", Map.of("serial", Integer.toHexString(i).toUpperCase()));
            }
        }
        return file;
    }

    private static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    @Test
    void writtenLog_verifies_andEachLineCarriesThePreviousHash() throws IOException {
        Path file = logOf(5);
        AuditChain.Verdict verdict = AuditChain.verify(file);
        assertTrue(verdict.intact(), verdict.reason());
        assertEquals(5, verdict.validLines());
        List<String> lines = lines(file);
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(1, first.get("seq").asLong());
        assertEquals(AuditChain.GENESIS, first.get("prev").asText());
        assertEquals("ISSUED", first.get("event").asText());
        assertEquals("2026-01-02T03:04:05Z", first.get("time").asText());
        for (int i = 1; i < lines.size(); i++) {
            assertEquals(JSON.readTree(lines.get(i - 1)).get("hash").asText(), JSON.readTree(lines.get(i)).get("prev").asText());
        }
    }

    @Test
    void reopenedLog_continuesTheChain() throws IOException {
        Path file = logOf(2);
        try (AuditLog log = AuditLog.open(file, CLOCK)) {
            log.record("REVOKED", Map.of("serial", "2"));
        }
        AuditChain.Verdict verdict = AuditChain.verify(file);
        assertTrue(verdict.intact(), verdict.reason());
        assertEquals(3, verdict.validLines());
        assertEquals(3, JSON.readTree(lines(file).get(2)).get("seq").asLong());
    }

    @Test
    void editedLine_isReportedAtThatLine() throws IOException {
        Path file = logOf(5);
        List<String> lines = lines(file);
        lines.set(2, lines.get(2).replace("\"serial\":\"3\"", "\"serial\":\"99\""));
        write(file, lines);
        AuditChain.Verdict verdict = AuditChain.verify(file);
        assertEquals(3, verdict.brokenLine());
        assertEquals(2, verdict.validLines());
    }

    @Test
    void editedLastLine_isReported() throws IOException {
        Path file = logOf(3);
        List<String> lines = lines(file);
        lines.set(2, lines.get(2).replace("ISSUED", "REVOKED"));
        write(file, lines);
        assertEquals(3, AuditChain.verify(file).brokenLine());
    }

    @Test
    void deletedLine_isReportedAtTheLineThatFollowedIt() throws IOException {
        Path file = logOf(5);
        List<String> lines = lines(file);
        lines.remove(1);
        write(file, lines);
        assertEquals(2, AuditChain.verify(file).brokenLine());
    }

    @Test
    void deletedFirstLine_isReportedAtLineOne() throws IOException {
        Path file = logOf(3);
        List<String> lines = lines(file);
        lines.remove(0);
        write(file, lines);
        assertEquals(1, AuditChain.verify(file).brokenLine());
    }

    @Test
    void reorderedLines_areReportedAtTheFirstMovedLine() throws IOException {
        Path file = logOf(5);
        List<String> lines = lines(file);
        String third = lines.get(2);
        lines.set(2, lines.get(3));
        lines.set(3, third);
        write(file, lines);
        assertEquals(3, AuditChain.verify(file).brokenLine());
    }

    @Test
    void lineResealedAfterAnEdit_breaksTheNextLine() throws IOException {
        Path file = logOf(4);
        List<String> lines = lines(file);
        String edited = lines.get(1).replace("\"serial\":\"2\"", "\"serial\":\"77\"");
        String content = edited.substring(0, edited.lastIndexOf(",\"hash\":\"")) + "}";
        lines.set(1, AuditChain.seal(content));
        write(file, lines);
        assertEquals(3, AuditChain.verify(file).brokenLine());
    }

    @Test
    void concurrentWriters_leaveOneIntactChain() throws Exception {
        Path file = dir.resolve("concurrent.log");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (AuditLog log = AuditLog.open(file, CLOCK)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int writer = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        log.record("ISSUED", Map.of("writer", writer, "i", i));
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdown();
        }
        AuditChain.Verdict verdict = AuditChain.verify(file);
        assertTrue(verdict.intact(), verdict.reason());
        assertEquals(400, verdict.validLines());
    }

    @Test
    void logWhoseLastLineIsPartial_isNotOpened() throws IOException {
        Path file = logOf(2);
        Files.writeString(file, "{\"seq\":3,", java.nio.file.StandardOpenOption.APPEND);
        assertThrows(IOException.class, () -> AuditLog.open(file, CLOCK));
    }

    @Test
    void logOpenTwice_secondOpenIsRefused() throws IOException {
        Path file = dir.resolve("locked.log");
        try (AuditLog first = AuditLog.open(file, CLOCK)) {
            assertThrows(IOException.class, () -> AuditLog.open(file, CLOCK));
            assertTrue(first.healthy());
        }
    }

    @Test
    void verifyAuditCommand_exitsZeroWhenIntact_andOneNamingTheBrokenLine() throws IOException {
        Path file = logOf(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, VerifyAuditCommand.run(new String[] {"--file", file.toString()}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString().contains("4 lines"), out.toString());
        List<String> lines = lines(file);
        lines.remove(2);
        write(file, lines);
        err.reset();
        assertEquals(1, VerifyAuditCommand.run(new String[] {"--file", file.toString()}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString().contains("line 3 is broken"), err.toString());
        assertEquals(2, VerifyAuditCommand.run(new String[0], new PrintStream(out), new PrintStream(err)));
        assertFalse(err.toString().isEmpty());
    }
}
