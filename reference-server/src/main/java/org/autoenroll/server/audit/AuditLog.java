package org.autoenroll.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: a file appended to, one hash-chained JSON object per line in {@link AuditChain}'s
 * format, so that an edited, removed or reordered line shows ({@code verify-audit}). Opening an
 * existing log continues its chain after checking its last line; a log whose last line is broken
 * (a partial write, an edit) is refused, so that the break is looked at before anything is added.
 *
 * <p>Durability: each line is written with one write to the file (no buffering in the process, so
 * a crash of the server loses nothing written) and then forced to the disk ({@code fsync}), before
 * {@link #record} returns: events are a few per enrollment, and the enrollment commits its database
 * transaction anyway. The file is locked while open, so a second server cannot interleave its lines.
 *
 * <p>A write that fails is logged (never thrown to the request) and {@link #healthy()} turns false,
 * which readiness reports. Thread-safe: lines are appended one at a time, in {@code seq} order.
 */
public final class AuditLog implements AuditTrail, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest last line read back when a log is opened. */
    private static final int MAX_LINE_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Clock clock;
    private long seq;
    private String prev;
    private volatile boolean healthy = true;

    private AuditLog(Path file, FileChannel channel, FileLock lock, Clock clock, long seq, String prev) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.clock = clock;
        this.seq = seq;
        this.prev = prev;
    }

    /**
     * Opens (or creates) the log at {@code file} for appending.
     *
     * @throws IOException when it cannot be opened or locked, or its last line is broken
     */
    public static AuditLog open(Path file, Clock clock) throws IOException {
        Objects.requireNonNull(clock, "clock");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by another server in this JVM
            }
            if (lock == null) {
                throw new IOException("audit log " + file + " is held by another server");
            }
            long seq = 0;
            String prev = AuditChain.GENESIS;
            String last = lastLine(file, channel);
            if (last != null) {
                AuditChain.Sealed sealed = AuditChain.unseal(last);
                if (sealed == null || !AuditChain.sha256(sealed.content()).equals(sealed.hash())) {
                    throw new IOException("audit log " + file + ": its last line is broken; run verify-audit --file " + file);
                }
                seq = JSON.readTree(sealed.content()).path("seq").asLong();
                prev = sealed.hash();
            }
            channel.position(channel.size());
            return new AuditLog(file, channel, lock, clock, seq, prev);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The last line without its newline, null for an empty file. */
    private static String lastLine(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return null;
        }
        int length = (int) Math.min(size, MAX_LINE_BYTES + 1L);
        ByteBuffer tail = ByteBuffer.allocate(length);
        channel.read(tail, size - length);
        byte[] bytes = tail.array();
        if (bytes[length - 1] != '\n') {
            throw new IOException("audit log " + file + " ends with a partial line; run verify-audit --file " + file);
        }
        int start = length - 2;
        while (start >= 0 && bytes[start] != '\n') {
            start--;
        }
        if (start < 0 && length < size) {
            throw new IOException("audit log " + file + ": its last line is longer than " + MAX_LINE_BYTES + " bytes");
        }
        return new String(bytes, start + 1, length - 2 - start, StandardCharsets.UTF_8);
    }

    @Override
    public void record(String event, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        synchronized (this) {
            line.put("seq", seq + 1);
            line.put("time", clock.instant().toString());
            line.put("event", event);
            fields.forEach((key, value) -> {
                if (value != null && !line.containsKey(key)) {
                    line.put(key, value);
                }
            });
            line.put("prev", prev);
            try {
                String sealed = AuditChain.seal(JSON.writeValueAsString(line));
                ByteBuffer bytes = ByteBuffer.wrap((sealed + "\n").getBytes(StandardCharsets.UTF_8));
                long start = channel.position();
                try {
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    channel.force(false);
                } catch (IOException e) {
                    // leave no partial line behind: the chain goes on from the last whole one
                    channel.truncate(start);
                    channel.position(start);
                    throw e;
                }
                seq++;
                prev = AuditChain.unseal(sealed).hash();
                if (!healthy) {
                    LOG.info("audit log {} takes writes again", file);
                }
                healthy = true;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("audit event " + event + " has fields that are not JSON", e);
            } catch (IOException e) {
                if (healthy) {
                    LOG.error("audit log {}: event {} could not be written: {}", file, event, e.toString());
                }
                healthy = false;
            }
        }
    }

    /** False after a write failed, until one succeeds again. */
    public boolean healthy() {
        return healthy && channel.isOpen();
    }

    /** The file this log appends to. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel.isOpen()) {
            lock.release();
            channel.close();
        }
    }
}
