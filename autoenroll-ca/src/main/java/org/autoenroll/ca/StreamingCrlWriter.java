package org.autoenroll.ca;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Objects;
import org.autoenroll.api.RevocationReason;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.operator.ContentSigner;

/**
 * Writes an X.509 v2 CRL (RFC 5280 5.1) as DER without holding its entries in memory, for CRLs
 * of a million entries: Bouncy Castle's {@code X509v2CRLBuilder} keeps every entry as an object
 * and then the encoding besides.
 *
 * <p>{@link #add} encodes each revokedCertificates entry at once and appends it to a temporary
 * file, counting its length (DER needs the length of the SEQUENCE before its contents).
 * {@link #sign} then streams the TBSCertList (fixed header fields, the SEQUENCE header with the
 * now known length, the file, the extensions) through the signer, and writes the CRL a second
 * time, now into one array of the exact final size: outer SEQUENCE header (known once the
 * signature's length is known, which for ECDSA varies), TBSCertList, signatureAlgorithm,
 * signatureValue. The encoding is the one {@code X509v2CRLBuilder} produces for the same input
 * (UTCTime up to 2049, GeneralizedTime after; a reasonCode entry extension unless the reason is
 * unspecified; no revokedCertificates field when empty): the unit test compares them byte for byte.
 *
 * <p>Not thread-safe: one CRL per instance; {@link #close()} deletes the temporary file.
 */
final class StreamingCrlWriter implements Closeable {
    private static final int BUFFER = 64 * 1024;
    /** The extnID of reasonCode, 2.5.29.21, as DER. */
    private static final byte[] REASON_CODE_OID = {0x06, 0x03, 0x55, 0x1d, 0x15};
    /** The largest CRL built into one array (an array's limit, with room for the headers). */
    static final long MAX_CRL_BYTES = Integer.MAX_VALUE - 64;

    private final byte[] prefix;
    private final byte[] extensions;
    private final Path entriesFile;
    private final OutputStream entries;
    private final byte[] entry = new byte[256];
    private long entriesLength;
    private long count;
    private boolean closed;

    /**
     * @param issuer the CA's subject
     * @param nextUpdate null for none
     * @param crlExtensions the CRL extensions, in the order they are to appear
     * @param signatureAlgorithm the DER AlgorithmIdentifier the signer will produce (it appears
     *     inside the signed TBSCertList too)
     * @param tempDir where the entries are spooled; null for the system's temporary directory
     */
    StreamingCrlWriter(X500Name issuer, Instant thisUpdate, Instant nextUpdate, Extensions crlExtensions,
                       byte[] signatureAlgorithm, Path tempDir) throws IOException {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        DerBuffer head = new DerBuffer();
        head.write(new byte[] {0x02, 0x01, 0x01}); // version v2
        head.write(signatureAlgorithm);
        head.write(issuer.getEncoded(ASN1Encoding.DER));
        head.write(new Time(Date.from(thisUpdate)).getEncoded(ASN1Encoding.DER));
        if (nextUpdate != null) {
            head.write(new Time(Date.from(nextUpdate)).getEncoded(ASN1Encoding.DER));
        }
        this.prefix = head.toByteArray();
        this.extensions = crlExtensions == null ? new byte[0]
                : new DERTaggedObject(true, 0, crlExtensions).getEncoded(ASN1Encoding.DER);
        this.entriesFile = tempDir == null ? Files.createTempFile("crl-", ".entries")
                : Files.createTempFile(tempDir, ".crl-", ".entries");
        try {
            Files.setPosixFilePermissions(entriesFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: serials and dates are public anyway once the CRL is published
        }
        this.entries = new BufferedOutputStream(Files.newOutputStream(entriesFile), BUFFER);
    }

    /** Appends one revokedCertificates entry; entries appear in the order added. */
    void add(BigInteger serial, Instant revokedAt, RevocationReason reason) throws IOException {
        byte[] serialBytes = serial.toByteArray();
        if (serialBytes.length > 100) {
            throw new IOException("serial of " + serialBytes.length + " bytes is too long for a CRL entry");
        }
        int code = reason == null ? 0 : reason.code();
        int timeLength = timeLength(revokedAt);
        int contentLength = 1 + lengthOfLength(serialBytes.length) + serialBytes.length + 2 + timeLength
                + (code != 0 ? 14 : 0);
        int pos = 0;
        entry[pos++] = 0x30;
        pos = putLength(entry, pos, contentLength);
        entry[pos++] = 0x02;
        pos = putLength(entry, pos, serialBytes.length);
        System.arraycopy(serialBytes, 0, entry, pos, serialBytes.length);
        pos += serialBytes.length;
        pos = putTime(entry, pos, revokedAt, timeLength);
        if (code != 0) {
            // Extensions { Extension { reasonCode, OCTET STRING { ENUMERATED code } } }, not critical
            entry[pos++] = 0x30;
            entry[pos++] = 12;
            entry[pos++] = 0x30;
            entry[pos++] = 10;
            System.arraycopy(REASON_CODE_OID, 0, entry, pos, REASON_CODE_OID.length);
            pos += REASON_CODE_OID.length;
            entry[pos++] = 0x04;
            entry[pos++] = 3;
            entry[pos++] = 0x0a;
            entry[pos++] = 1;
            entry[pos++] = (byte) code;
        }
        entries.write(entry, 0, pos);
        entriesLength += pos;
        count++;
        if (entriesLength > MAX_CRL_BYTES) {
            throw new IOException("the CRL would exceed " + MAX_CRL_BYTES + " bytes");
        }
    }

    /** The number of entries added. */
    long count() {
        return count;
    }

    /**
     * Signs and returns the CRL in DER. The signer must produce {@code signatureAlgorithm} as
     * given to the constructor.
     */
    byte[] sign(ContentSigner signer) throws IOException {
        entries.flush();
        long tbsContent = prefix.length + (count > 0 ? headerLength(entriesLength) + entriesLength : 0)
                + extensions.length;
        long tbsLength = headerLength(tbsContent) + tbsContent;
        try (OutputStream toSigner = new BufferedOutputStream(signer.getOutputStream(), BUFFER)) {
            writeTbs(toSigner, tbsContent);
        }
        byte[] algorithm = signer.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER);
        byte[] signature = signer.getSignature();
        long bitString = 1 + lengthOfLength(signature.length + 1) + 1L + signature.length;
        long content = tbsLength + algorithm.length + bitString;
        long total = headerLength(content) + content;
        if (total > MAX_CRL_BYTES) {
            throw new IOException("the CRL would exceed " + MAX_CRL_BYTES + " bytes");
        }
        ArrayOutput out = new ArrayOutput((int) total);
        writeHeader(out, 0x30, content);
        writeTbs(out, tbsContent);
        out.write(algorithm);
        writeHeader(out, 0x03, signature.length + 1L);
        out.write(0); // no unused bits
        out.write(signature);
        return out.finish();
    }

    private void writeTbs(OutputStream out, long tbsContent) throws IOException {
        writeHeader(out, 0x30, tbsContent);
        out.write(prefix);
        if (count > 0) {
            writeHeader(out, 0x30, entriesLength);
            try (InputStream in = Files.newInputStream(entriesFile)) {
                byte[] buffer = new byte[BUFFER];
                long left = entriesLength;
                int n;
                while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                    out.write(buffer, 0, n);
                    left -= n;
                }
                if (left != 0) {
                    throw new IOException("the CRL entries file is shorter than written");
                }
            }
        }
        out.write(extensions);
    }

    /** Deletes the temporary file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            entries.close();
        } finally {
            Files.deleteIfExists(entriesFile);
        }
    }

    // --- DER helpers ---

    /** UTCTime (13 characters) from 1950 to 2049, GeneralizedTime (15) otherwise, as RFC 5280 4.1.2.5 and BC do. */
    private static int timeLength(Instant at) {
        int year = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC).getYear();
        return year >= 1950 && year <= 2049 ? 13 : 15;
    }

    private static int putTime(byte[] b, int pos, Instant at, int length) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
        b[pos++] = (byte) (length == 13 ? 0x17 : 0x18);
        b[pos++] = (byte) length;
        if (length == 13) {
            pos = digits(b, pos, t.getYear() % 100, 2);
        } else {
            pos = digits(b, pos, t.getYear(), 4);
        }
        pos = digits(b, pos, t.getMonthValue(), 2);
        pos = digits(b, pos, t.getDayOfMonth(), 2);
        pos = digits(b, pos, t.getHour(), 2);
        pos = digits(b, pos, t.getMinute(), 2);
        pos = digits(b, pos, t.getSecond(), 2);
        b[pos++] = 'Z';
        return pos;
    }

    private static int digits(byte[] b, int pos, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            b[pos + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return pos + width;
    }

    static int lengthOfLength(long length) {
        if (length < 0x80) {
            return 1;
        }
        int bytes = 0;
        for (long l = length; l > 0; l >>>= 8) {
            bytes++;
        }
        return 1 + bytes;
    }

    private static long headerLength(long contentLength) {
        return 1 + lengthOfLength(contentLength);
    }

    private static int putLength(byte[] b, int pos, int length) {
        if (length < 0x80) {
            b[pos++] = (byte) length;
            return pos;
        }
        int bytes = lengthOfLength(length) - 1;
        b[pos++] = (byte) (0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            b[pos++] = (byte) (length >>> (8 * i));
        }
        return pos;
    }

    static void writeHeader(OutputStream out, int tag, long length) throws IOException {
        out.write(tag);
        if (length < 0x80) {
            out.write((int) length);
            return;
        }
        int bytes = lengthOfLength(length) - 1;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (length >>> (8 * i)) & 0xff);
        }
    }

    /** A growable buffer for the small fixed parts. */
    private static final class DerBuffer extends java.io.ByteArrayOutputStream {
    }

    /** Writes into one array of a size known in advance, so the CRL is never copied while growing. */
    private static final class ArrayOutput extends OutputStream {
        private final byte[] array;
        private int pos;

        ArrayOutput(int size) {
            this.array = new byte[size];
        }

        @Override
        public void write(int b) throws IOException {
            if (pos >= array.length) {
                throw new IOException("CRL longer than computed");
            }
            array[pos++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > array.length - pos) {
                throw new IOException("CRL longer than computed");
            }
            System.arraycopy(b, off, array, pos, len);
            pos += len;
        }

        byte[] finish() throws IOException {
            if (pos != array.length) {
                throw new IOException("CRL shorter than computed: " + pos + " of " + array.length);
            }
            return array;
        }
    }
}
