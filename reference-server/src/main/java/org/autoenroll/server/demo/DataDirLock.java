package org.autoenroll.server.demo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a demo data directory ({@value #FILE}), taken before anything in the
 * directory is written and held until the demo stops: a second demo on the same directory, in
 * another process or this one, stops at once without touching the running demo's krb5.conf,
 * keytab, secrets, TLS key store or database. Released by {@link #close()} (or by the process's end).
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE = "demo.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException when another demo holds the directory */
    static DataDirLock acquire(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another autoenroll demo is running on " + dir + " (it holds " + file
                    + "): stop it first, or start this one with another --data-dir; nothing was changed");
        }
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
