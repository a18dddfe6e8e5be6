package org.autoenroll.core.csr;

import java.util.Base64;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The fast path for the PEM every client sends: one {@code CERTIFICATE REQUEST} (or {@code NEW
 * CERTIFICATE REQUEST}) block at the start, base64 lines without headers. It decodes without Bouncy
 * Castle's {@code PEMParser}, whose readers allocate and scan more than the rest of the CSR checks
 * (PipelineBenchmark). Anything else (text before the block, header lines, another PEM type,
 * characters outside base64) answers null, and the caller parses with {@code PEMParser} as before,
 * so what is accepted and refused does not change. Stateless.
 */
final class PlainPem {
    private static final String[] TYPES = {"CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"};

    private PlainPem() {
    }

    /** The request, or null when the text is not plain PEM of a CSR (then PEMParser decides). */
    static PKCS10CertificationRequest csr(String pem) {
        int start = skipWhitespace(pem, 0);
        for (String type : TYPES) {
            String begin = "-----BEGIN " + type + "-----";
            if (pem.startsWith(begin, start)) {
                int bodyStart = start + begin.length();
                int end = pem.indexOf("-----END " + type + "-----", bodyStart);
                return end < 0 ? null : decode(pem, bodyStart, end);
            }
        }
        return null;
    }

    private static PKCS10CertificationRequest decode(String pem, int from, int to) {
        StringBuilder base64 = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = pem.charAt(i);
            if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
                continue;
            }
            boolean base64Char = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=';
            if (!base64Char) {
                return null; // a header line ("Proc-Type: ...") or garbage: PEMParser's rules apply
            }
            base64.append(c);
        }
        try {
            return new PKCS10CertificationRequest(Base64.getDecoder().decode(base64.toString()));
        } catch (IllegalArgumentException | java.io.IOException | ClassCastException e) {
            return null;
        } catch (RuntimeException e) {
            // Bouncy Castle's ASN.1 errors on a malformed request: PEMParser reads it again and refuses it alike
            return null;
        }
    }

    private static int skipWhitespace(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
