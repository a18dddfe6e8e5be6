package org.autoenroll.ca;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Reads and writes the CA's key and certificate as a PKCS#12 file (the JDK's PKCS12 keystore:
 * PBES2/AES-256 and HMAC-SHA256 on Java 17). Writes are atomic: a temporary file in the same
 * directory is linked (or moved) into place, so a crash never leaves half a keystore.
 * Stateless; safe to call from several threads on different paths.
 */
final class CaKeystore {
    static final String ALIAS = "ca";

    /** The CA key and certificate as read or written. */
    record Entry(PrivateKey key, X509Certificate certificate) {
    }

    private CaKeystore() {
    }

    static Entry load(Path path, char[] password) throws CaStartupException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "cannot read CA keystore " + path + ": " + e.getClass().getSimpleName(), e);
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new CaStartupException(CaStartupException.Reason.WRONG_PASSWORD,
                        "the password does not open CA keystore " + path, e);
            }
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "CA keystore " + path + " is not a readable PKCS#12 file", e);
        } catch (GeneralSecurityException e) {
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "CA keystore " + path + " is not a readable PKCS#12 file", e);
        }
        try {
            Key key = store.getKey(ALIAS, password);
            Certificate certificate = store.getCertificate(ALIAS);
            if (!(key instanceof PrivateKey privateKey) || !(certificate instanceof X509Certificate x509)) {
                throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                        "CA keystore " + path + " has no private key and certificate under alias '" + ALIAS + "'", null);
            }
            return new Entry(privateKey, x509);
        } catch (UnrecoverableKeyException e) {
            throw new CaStartupException(CaStartupException.Reason.WRONG_PASSWORD,
                    "the password does not open the key in CA keystore " + path, e);
        } catch (GeneralSecurityException e) {
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "cannot read the key in CA keystore " + path, e);
        }
    }

    /**
     * Writes a new keystore at {@code path}.
     *
     * @return false when a keystore appeared at {@code path} meanwhile (another process created
     *     it first): the caller loads that one instead
     */
    static boolean create(Path path, char[] password, Entry entry) throws CaStartupException {
        return write(path, password, entry, CaKeystore::publish);
    }

    /**
     * Writes {@code entry} to {@code path}, replacing what is there atomically (a renewed
     * delegated OCSP signer). Two processes renewing at once each leave a complete file.
     */
    static void replace(Path path, char[] password, Entry entry) throws CaStartupException {
        write(path, password, entry, (temp, target) -> {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        });
    }

    /** How a complete, synced temporary keystore takes its place; false when it did not. */
    @FunctionalInterface
    private interface Install {
        boolean into(Path temp, Path target) throws IOException;
    }

    /** Encodes the keystore, writes it to an owner-only temporary file, syncs it, then installs it. */
    private static boolean write(Path path, char[] password, Entry entry, Install install) throws CaStartupException {
        Path dir = path.toAbsolutePath().getParent();
        Path temp = null;
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, entry.key(), password, new Certificate[] {entry.certificate()});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, ".ks-", ".p12.tmp");
            restrictPermissions(temp);
            Files.write(temp, out.toByteArray());
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            return install.into(temp, path);
        } catch (IOException | GeneralSecurityException e) {
            throw new CaStartupException(CaStartupException.Reason.CREATION_FAILED,
                    "cannot write keystore " + path + ": " + e.getClass().getSimpleName(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temporary file holds an encrypted keystore only; nothing to do
                }
            }
        }
    }

    /** Hard link: atomic and never overwrites; a file system without links gets an atomic move. */
    private static boolean publish(Path temp, Path path) throws IOException {
        try {
            Files.createLink(path, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(path)) {
                return false;
            }
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    private static void restrictPermissions(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: rely on the directory's access rules
        }
    }

    static void clear(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
