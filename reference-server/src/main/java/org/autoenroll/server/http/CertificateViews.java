package org.autoenroll.server.http;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.CertificateQuery;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.core.internal.Serials;

/**
 * How the admin API writes certificates and their pages, and reads its own cursors back. Serials
 * in upper-case hex, times in ISO-8601 UTC. Stateless.
 */
final class CertificateViews {
    private static final int MAX_CURSOR_CHARS = 256;

    private CertificateViews() {
    }

    /** A certificate as a search lists it (without the certificate itself). */
    static Map<String, Object> summary(CertificateRecord certificate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("serial", Serials.format(certificate.serial()));
        json.put("customerUri", certificate.customerUri());
        json.put("owner", certificate.owner());
        json.put("email", certificate.email());
        json.put("template", certificate.profile());
        json.put("state", certificate.state().name());
        json.put("notBefore", certificate.notBefore().toString());
        json.put("notAfter", certificate.notAfter().toString());
        json.put("requestId", certificate.requestId());
        if (certificate.state() == CertificateState.REVOKED) {
            json.put("revocationReason", certificate.revocationReason().name());
            json.put("revokedAt", certificate.revokedAt().toString());
        }
        certificate.lastReportedStatus().ifPresent(status -> json.put("reportedStatus", status.name()));
        return json;
    }

    /** One page: {@code {certificates: [...], next}}, {@code next} null on the last page. */
    static Map<String, Object> page(List<CertificateRecord> page, int limit) {
        List<Map<String, Object>> certificates = new ArrayList<>();
        for (CertificateRecord certificate : page) {
            certificates.add(summary(certificate));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("certificates", certificates);
        answer.put("next", page.size() == limit ? encode(CertificateQuery.Cursor.after(page.get(page.size() - 1))) : null);
        return answer;
    }

    /** The cursor is base64url of {@code <state> <notAfter ISO-8601> <serial hex>}: opaque to clients. */
    static String encode(CertificateQuery.Cursor cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((cursor.state().name() + " " + cursor.notAfter()
                + " " + Serials.format(cursor.serial())).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws EnrollmentException 44 for anything this server did not give as a cursor */
    static CertificateQuery.Cursor decode(String cursor) throws EnrollmentException {
        try {
            if (cursor.length() <= MAX_CURSOR_CHARS) {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(" ");
                if (parts.length == 3) {
                    BigInteger serial = Serials.parse(parts[2]);
                    if (serial.signum() > 0) {
                        return new CertificateQuery.Cursor(CertificateState.valueOf(parts[0]), Instant.parse(parts[1]),
                                serial);
                    }
                }
            }
        } catch (IllegalArgumentException | DateTimeParseException | EnrollmentException e) {
            // refused below
        }
        throw QueryParameters.malformed("after is not a cursor this server gave (the next of a previous page)");
    }
}
