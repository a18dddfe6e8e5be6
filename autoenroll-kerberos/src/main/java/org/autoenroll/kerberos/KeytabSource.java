package org.autoenroll.kerberos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of one realm, from bytes given once or from a keytab file that is read again when it
 * changes: rotating the service password and replacing the keytab file needs no restart. The file's
 * modification time and size are looked at most once per {@link #CHECK_EVERY_MILLIS} on the
 * acceptor's clock; a changed file that cannot be read (half written, not a keytab, no key of the
 * realm) leaves the keys in use as they were, with a warning, and is tried again at the next check.
 * Thread-safe.
 */
final class KeytabSource {
    static final long CHECK_EVERY_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(KeytabSource.class);

    private final String realm;
    private final boolean rc4Allowed;
    private final Path file;
    private final Clock clock;
    private volatile RealmKeys keys;
    private volatile String stamp;
    private volatile long nextCheckMillis;

    private KeytabSource(String realm, boolean rc4Allowed, Path file, Clock clock, RealmKeys keys, String stamp) {
        this.realm = realm;
        this.rc4Allowed = rc4Allowed;
        this.file = file;
        this.clock = clock;
        this.keys = keys;
        this.stamp = stamp;
        this.nextCheckMillis = clock.millis() + CHECK_EVERY_MILLIS;
    }

    static KeytabSource fixed(String realm, byte[] keytab, boolean rc4Allowed) {
        return new KeytabSource(realm, rc4Allowed, null, Clock.systemUTC(), RealmKeys.load(realm, keytab, rc4Allowed), null);
    }

    /**
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a keytab with a key of the realm
     */
    static KeytabSource watched(String realm, Path file, boolean rc4Allowed, Clock clock) throws IOException {
        String stamp = stampOf(file);
        RealmKeys keys = RealmKeys.load(realm, Files.readAllBytes(file), rc4Allowed);
        return new KeytabSource(realm, rc4Allowed, Objects.requireNonNull(file), clock, keys, stamp);
    }

    /** The keys now in force, reading the file again first if it changed. */
    RealmKeys current() {
        if (file != null && clock.millis() >= nextCheckMillis) {
            reloadIfChanged();
        }
        return keys;
    }

    private synchronized void reloadIfChanged() {
        long now = clock.millis();
        if (now < nextCheckMillis) {
            return;
        }
        nextCheckMillis = now + CHECK_EVERY_MILLIS;
        try {
            String seen = stampOf(file);
            if (seen.equals(stamp)) {
                return;
            }
            keys = RealmKeys.load(realm, Files.readAllBytes(file), rc4Allowed);
            stamp = seen;
            LOG.info("realm {}: keytab {} changed; its keys are in force now", realm, file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("realm {}: keytab {} changed but cannot be used ({}); keeping the keys read before", realm, file,
                    e.getMessage());
        }
    }

    private static String stampOf(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.lastModifiedTime().toMillis() + "/" + attributes.size() + "/" + attributes.fileKey();
    }
}
