package org.autoenroll.kerberos;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The few DER operations the GSS and SPNEGO framings need: read one definite-length TLV inside
 * bounds, and write one. Kerby's ASN.1 types cover Kerberos messages but not SPNEGO.
 *
 * <p>Every read checks its bounds and throws {@link MalformedException}; nothing here copies more
 * than the input holds. Stateless apart from {@link Reader}, which is not thread-safe.
 */
final class Der {
    static final int SEQUENCE = 0x30;
    static final int OID = 0x06;
    static final int OCTET_STRING = 0x04;
    static final int ENUMERATED = 0x0A;
    static final int INTEGER = 0x02;
    static final int APPLICATION_0 = 0x60;

    private Der() {
    }

    /** A structural error in a DER encoding; carries no input bytes. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** One tag-length-value: tag, and where its content lies in the buffer. */
    record Tlv(int tag, byte[] buffer, int contentStart, int contentLength) {
        byte[] content() {
            return Arrays.copyOfRange(buffer, contentStart, contentStart + contentLength);
        }

        int end() {
            return contentStart + contentLength;
        }

        Reader reader() {
            return new Reader(buffer, contentStart, end());
        }

        boolean contentEquals(byte[] expected) {
            return Arrays.equals(buffer, contentStart, end(), expected, 0, expected.length);
        }
    }

    /** Reads consecutive TLVs between two offsets of a buffer. */
    static final class Reader {
        private final byte[] buffer;
        private final int end;
        private int pos;

        Reader(byte[] buffer, int start, int end) {
            this.buffer = buffer;
            this.pos = start;
            this.end = end;
        }

        static Reader of(byte[] buffer) {
            return new Reader(buffer, 0, buffer.length);
        }

        boolean hasMore() {
            return pos < end;
        }

        int position() {
            return pos;
        }

        int peekTag() throws MalformedException {
            if (pos >= end) {
                throw new MalformedException("unexpected end of data");
            }
            return buffer[pos] & 0xFF;
        }

        Tlv read() throws MalformedException {
            int tag = peekTag();
            if ((tag & 0x1F) == 0x1F) {
                throw new MalformedException("multi-byte tags are not used here");
            }
            pos++;
            if (pos >= end) {
                throw new MalformedException("missing length");
            }
            int first = buffer[pos++] & 0xFF;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7F;
                if (count == 0) {
                    throw new MalformedException("indefinite length");
                }
                if (count > 3) {
                    throw new MalformedException("length too large");
                }
                if (end - pos < count) {
                    throw new MalformedException("truncated length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (buffer[pos++] & 0xFF);
                }
            }
            if (length > end - pos) {
                throw new MalformedException("length beyond end of data");
            }
            Tlv tlv = new Tlv(tag, buffer, pos, length);
            pos += length;
            return tlv;
        }

        Tlv read(int expectedTag, String what) throws MalformedException {
            Tlv tlv = read();
            if (tlv.tag() != expectedTag) {
                throw new MalformedException(what + ": unexpected tag 0x" + Integer.toHexString(tlv.tag()));
            }
            return tlv;
        }

        /** The bytes from the current position to the end, consuming them. */
        byte[] rest() {
            byte[] out = Arrays.copyOfRange(buffer, pos, end);
            pos = end;
            return out;
        }
    }

    /** A non-negative INTEGER of at most 8 content bytes. */
    static long unsignedInteger(Tlv tlv) throws MalformedException {
        if (tlv.tag() != INTEGER || tlv.contentLength() == 0 || tlv.contentLength() > 9) {
            throw new MalformedException("bad INTEGER");
        }
        long value = 0;
        for (int i = tlv.contentStart(); i < tlv.end(); i++) {
            value = (value << 8) | (tlv.buffer()[i] & 0xFF);
        }
        if ((tlv.buffer()[tlv.contentStart()] & 0x80) != 0) {
            // negative in two's complement: Kerberos sometimes sends kvno/etype as signed 32 bit
            value = value - (1L << (8 * tlv.contentLength()));
        }
        return value;
    }

    static byte[] tlv(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        writeLength(out, length);
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
