package org.autoenroll.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.client.ClientOptions.StoreFormat;

/**
 * The client's certificate store: a directory (mode 0700) with one key and certificate per
 * template, as PEM ({@code <template>.key}, mode 0600, and {@code <template>.pem} with the chain) or
 * PKCS#12 ({@code <template>.p12}, the password from a file or the environment). A key waiting for
 * an approval is kept as {@code <template>.pending.key} (or {@code .pending.p12}) with the request id
 * in {@code <template>.pending}. Files are written whole to a temporary name, then moved in place,
 * so a crash never leaves half a key. Not thread-safe: one client run at a time.
 */
final class LocalStore {
    /** What the store holds of one template. */
    record Held(String template, X509Certificate certificate, boolean hasKey) {
        String serial() {
            return certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        }

        boolean expiredAt(Instant now) {
            return certificate.getNotAfter().toInstant().isBefore(now);
        }
    }

    private static final Pattern TEMPLATE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
    private static final long MAX_FILE = 1 << 20;

    private final Path dir;
    private final StoreFormat format;
    private final Secret pkcs12Password;

    private LocalStore(Path dir, StoreFormat format, Secret pkcs12Password) {
        this.dir = dir;
        this.format = format;
        this.pkcs12Password = pkcs12Password;
    }

    /** @throws ClientFailure 31 when the directory cannot be made or used */
    static LocalStore open(ClientOptions options) throws ClientFailure {
        Path dir = options.store();
        try {
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
            if (!Files.isWritable(dir)) {
                throw new ClientFailure(ErrorCode.OPEN_LOCAL_STORE_FAILED, dir + " is not writable");
            }
        } catch (IOException e) {
            throw new ClientFailure(ErrorCode.OPEN_LOCAL_STORE_FAILED, "cannot open " + dir + ": " + e);
        }
        return new LocalStore(dir, options.format(), options.pkcs12Password());
    }

    /** Every template's certificate in the store. @throws ClientFailure 31 when one cannot be read */
    List<Held> held() throws ClientFailure {
        List<Held> result = new ArrayList<>();
        String suffix = format == StoreFormat.PEM ? ".pem" : ".p12";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + suffix)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String template = name.substring(0, name.length() - suffix.length());
                if (!template.endsWith(".pending")) {
                    read(template).ifPresent(result::add);
                }
            }
        } catch (IOException e) {
            throw new ClientFailure(ErrorCode.OPEN_LOCAL_STORE_FAILED, "cannot list " + dir + ": " + e);
        }
        result.sort((a, b) -> a.template().compareTo(b.template()));
        return result;
    }

    Optional<Held> read(String template) throws ClientFailure {
        checkName(template);
        try {
            if (format == StoreFormat.PEM) {
                Path pem = dir.resolve(template + ".pem");
                if (!Files.exists(pem)) {
                    return Optional.empty();
                }
                List<X509Certificate> chain = certificates(readBounded(pem));
                if (chain.isEmpty()) {
                    throw new ClientFailure(ErrorCode.OPEN_LOCAL_STORE_FAILED, pem + " holds no certificate");
                }
                Path key = dir.resolve(template + ".key");
                return Optional.of(new Held(template, chain.get(0), Files.isRegularFile(key) && Files.size(key) > 0));
            }
            Path p12 = dir.resolve(template + ".p12");
            if (!Files.exists(p12)) {
                return Optional.empty();
            }
            KeyStore store = loadPkcs12(p12);
            X509Certificate cert = (X509Certificate) store.getCertificate(template);
            if (cert == null) {
                throw new ClientFailure(ErrorCode.OPEN_LOCAL_STORE_FAILED, p12 + " has no entry " + template);
            }
            return Optional.of(new Held(template, cert, store.isKeyEntry(template)));
        } catch (IOException | GeneralSecurityException e) {
            throw new ClientFailure(ErrorCode.OPEN_LOCAL_STORE_FAILED, "cannot read the " + template + " certificate: " + e);
        }
    }

    /** Keeps the key of a request that waits for approval, with its id. @throws ClientFailure 39 */
    void keepPending(String template, String requestId, PrivateKey key) throws ClientFailure {
        checkName(template);
        try {
            writeKey(template + ".pending", key, List.of());
            writeAtomically(dir.resolve(template + ".pending"), requestId.getBytes(StandardCharsets.US_ASCII), "rw-------");
        } catch (IOException | GeneralSecurityException e) {
            throw new ClientFailure(ErrorCode.INSTALL_CERTIFICATE_FAILED, "cannot keep the pending key of " + template + ": " + e
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
        }
    }

    /** The key kept for a pending request, if the request id matches. */
    Optional<PrivateKey> pendingKey(String template, String requestId) throws ClientFailure {
        checkName(template);
        Path idFile = dir.resolve(template + ".pending");
        try {
            if (!Files.exists(idFile) || !new String(readBounded(idFile), StandardCharsets.US_ASCII).strip().equals(requestId)) {
                return Optional.empty();
            }
            return Optional.ofNullable(readKey(template + ".pending"));
        } catch (IOException | GeneralSecurityException e) {
            throw new ClientFailure(ErrorCode.OPEN_LOCAL_STORE_FAILED, "cannot read the pending key of " + template + ": " + e);
        }
    }

    /**
     * Installs a key and its certificate (with the chain) for {@code template}, replacing what was
     * there only once both are written. @throws ClientFailure 39
     */
    void install(String template, PrivateKey key, List<X509Certificate> chain) throws ClientFailure {
        checkName(template);
        try {
            if (!chain.get(0).getPublicKey().equals(publicKeyOf(chain.get(0), key))) {
                throw new ClientFailure(ErrorCode.INSTALL_CERTIFICATE_FAILED, "the certificate is not for the key of the request");
            }
            writeKey(template, key, chain);
            if (format == StoreFormat.PEM) {
                StringBuilder pem = new StringBuilder();
                for (X509Certificate cert : chain) {
                    pem.append(pem("CERTIFICATE", cert.getEncoded()));
                }
                writeAtomically(dir.resolve(template + ".pem"), pem.toString().getBytes(StandardCharsets.US_ASCII), "rw-r--r--");
            }
            Files.deleteIfExists(dir.resolve(template + ".pending"));
            Files.deleteIfExists(dir.resolve(template + ".pending" + (format == StoreFormat.PEM ? ".key" : ".p12")));
        } catch (IOException | GeneralSecurityException e) {
            throw new ClientFailure(ErrorCode.INSTALL_CERTIFICATE_FAILED, "cannot store the " + template + " certificate: " + e);
        }
    }

    static List<X509Certificate> certificates(byte[] pem) throws GeneralSecurityException {
        List<X509Certificate> result = new ArrayList<>();
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            result.add((X509Certificate) c);
        }
        return result;
    }

    private void writeKey(String base, PrivateKey key, List<X509Certificate> chain) throws IOException, GeneralSecurityException {
        if (format == StoreFormat.PEM) {
            writeAtomically(dir.resolve(base + ".key"), pem("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII),
                    "rw-------");
            return;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = pkcs12Password.value();
        try {
            // a pending key has no certificate yet: PKCS#12 needs one, so it waits as a PKCS#8 file sealed by the store's password
            if (chain.isEmpty()) {
                writeAtomically(dir.resolve(base + ".p12"), PendingKeys.seal(key, password), "rw-------");
                return;
            }
            store.setKeyEntry(base, key, password, chain.toArray(new Certificate[0]));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            store.store(out, password);
            writeAtomically(dir.resolve(base + ".p12"), out.toByteArray(), "rw-------");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private PrivateKey readKey(String base) throws IOException, GeneralSecurityException {
        if (format == StoreFormat.PEM) {
            Path file = dir.resolve(base + ".key");
            if (!Files.exists(file)) {
                return null;
            }
            String text = new String(readBounded(file), StandardCharsets.US_ASCII);
            byte[] der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
            return privateKey(der);
        }
        Path file = dir.resolve(base + ".p12");
        if (!Files.exists(file)) {
            return null;
        }
        char[] password = pkcs12Password.value();
        try {
            return PendingKeys.open(readBounded(file), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (java.security.spec.InvalidKeySpecException e) {
                // the other algorithm
            }
        }
        throw new java.security.spec.InvalidKeySpecException("neither an EC nor an RSA PKCS#8 key");
    }

    /** The public key matching {@code key}, taken from the certificate when they belong together. */
    private static java.security.PublicKey publicKeyOf(X509Certificate cert, PrivateKey key) throws GeneralSecurityException {
        java.security.Signature signer = java.security.Signature.getInstance(
                key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
        byte[] probe = "autoenroll key check".getBytes(StandardCharsets.US_ASCII);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        signer.initVerify(cert.getPublicKey());
        signer.update(probe);
        return signer.verify(signature) ? cert.getPublicKey() : null;
    }

    private KeyStore loadPkcs12(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = pkcs12Password.value();
        try (InputStream in = new ByteArrayInputStream(readBounded(file))) {
            store.load(in, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        return store;
    }

    private static byte[] readBounded(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException(file + " is larger than " + MAX_FILE + " bytes");
        }
        return Files.readAllBytes(file);
    }

    private void writeAtomically(Path target, byte[] content, String permissions) throws IOException {
        Path temp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp);
        // the permissions before the content: a key is never readable by others, not even for a moment
        restrict(temp, permissions);
        try (OutputStream out = Files.newOutputStream(temp)) {
            out.write(content);
        }
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void checkName(String template) throws ClientFailure {
        if (template == null || !TEMPLATE.matcher(template).matches()) {
            throw new ClientFailure(ErrorCode.INSTALL_CERTIFICATE_FAILED, "the server named a template that is no file name: "
                    + (template == null ? "none" : template.substring(0, Math.min(64, template.length()))));
        }
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
        }
    }
}
