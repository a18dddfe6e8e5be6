package org.autoenroll.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * thisUpdate and nextUpdate of a DER CRL (RFC 5280 section 5.1), read from its first bytes only:
 * a CRL of a million entries is tens of megabytes, and its cache headers need two dates of the
 * header. The stream is reset to where it was. Stateless.
 */
final class CrlDates {
    /** Version, algorithm and issuer name come first; a name longer than this is not one we issue. */
    private static final int HEADER_LIMIT = 16 * 1024;
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    record Dates(Instant thisUpdate, Optional<Instant> nextUpdate) {
    }

    private CrlDates() {
    }

    /** @param crl a stream that supports mark and reset, positioned at the CRL's first byte */
    static Dates read(InputStream crl) throws IOException {
        if (!crl.markSupported()) {
            throw new IOException("the CRL stream cannot be reset");
        }
        crl.mark(HEADER_LIMIT);
        try {
            Reader reader = new Reader(crl);
            reader.expectConstructed(0x30);           // CertificateList
            reader.expectConstructed(0x30);           // TBSCertList
            int tag = reader.tag();
            if (tag == 0x02) {                        // version
                reader.skip(reader.length());
                tag = reader.tag();
            }
            reader.expect(tag, 0x30);                 // signature AlgorithmIdentifier
            reader.skip(reader.length());
            reader.expect(reader.tag(), 0x30);        // issuer Name
            reader.skip(reader.length());
            Instant thisUpdate = reader.time(reader.tag());
            int next = reader.tag();
            Optional<Instant> nextUpdate = next == 0x17 || next == 0x18 ? Optional.of(reader.time(next)) : Optional.empty();
            return new Dates(thisUpdate, nextUpdate);
        } finally {
            crl.reset();
        }
    }

    /** Reads DER tag-length-value headers within the header limit. */
    private static final class Reader {
        private final InputStream in;
        private int read;

        Reader(InputStream in) {
            this.in = in;
        }

        int tag() throws IOException {
            return next();
        }

        void expect(int tag, int wanted) throws IOException {
            if (tag != wanted) {
                throw new IOException("not a CRL: tag " + tag + " where " + wanted + " belongs");
            }
        }

        void expectConstructed(int wanted) throws IOException {
            expect(tag(), wanted);
            length();
        }

        int length() throws IOException {
            int first = next();
            if (first < 0x80) {
                return first;
            }
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4) {
                throw new IOException("not a DER length");
            }
            long length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | next();
            }
            if (length > Integer.MAX_VALUE) {
                throw new IOException("length out of range");
            }
            return (int) length;
        }

        void skip(int length) throws IOException {
            for (int i = 0; i < length; i++) {
                next();
            }
        }

        Instant time(int tag) throws IOException {
            int length = length();
            if (length > 32) {
                throw new IOException("not a time");
            }
            byte[] value = new byte[length];
            for (int i = 0; i < length; i++) {
                value[i] = (byte) next();
            }
            String text = new String(value, java.nio.charset.StandardCharsets.US_ASCII);
            if (tag == 0x17) {
                LocalDateTime time = LocalDateTime.parse(text, UTC_TIME);
                // RFC 5280 4.1.2.5.1: two-digit years 50-99 are 19xx
                return (time.getYear() >= 2050 ? time.minusYears(100) : time).toInstant(ZoneOffset.UTC);
            }
            if (tag == 0x18) {
                return LocalDateTime.parse(text, GENERALIZED_TIME).toInstant(ZoneOffset.UTC);
            }
            throw new IOException("not a time: tag " + tag);
        }

        private int next() throws IOException {
            if (++read > HEADER_LIMIT) {
                throw new IOException("CRL header longer than " + HEADER_LIMIT + " bytes");
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("CRL ends inside its header");
            }
            return b;
        }
    }
}
