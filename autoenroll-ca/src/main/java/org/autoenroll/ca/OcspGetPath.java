package org.autoenroll.ca;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The DER request in the path of an OCSP GET (RFC 6960 appendix A), bounded. Stateless. */
final class OcspGetPath {
    private OcspGetPath() {
    }

    /** The DER request in an OCSP GET path, or null when it is not base64 of a bounded request. */
    static byte[] decode(String path) {
        if (path == null) {
            return null;
        }
        // base64 of OcspResponder.MAX_REQUEST_BYTES, every character percent-encoded at worst
        if (path.length() > 3 * ((OcspResponder.MAX_REQUEST_BYTES + 2) / 3 * 4)) {
            return null;
        }
        String text = path.startsWith("/") ? path.substring(1) : path;
        StringBuilder decoded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '%') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int value = hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2));
                if (value < 0) {
                    return null;
                }
                decoded.append((char) value);
                i += 2;
            } else {
                // '+' stays '+': it is a base64 character here, not a form-encoded space
                decoded.append(ch);
            }
        }
        String base64 = decoded.toString().strip();
        try {
            boolean url = base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0;
            return (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(base64.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int hex(char ch) {
        int digit = Character.digit(ch, 16);
        return digit < 0 || ch > 'f' ? -0x1000 : digit;
    }
}
