package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.core.EnrollmentResult;

/**
 * Writes an {@link EnrollmentResult}: 200 {@code {status:"ISSUED", requestId, serial, certificate, chain}}
 * (serial in upper-case hex, PEM certificates) or 202 {@code {status:"PENDING", requestId}}. Stateless.
 */
final class Results {
    private Results() {
    }

    static void send(HttpServerExchange exchange, EnrollmentResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.status().name());
        body.put("requestId", result.requestId());
        if (result.status() == EnrollmentResult.Status.ISSUED) {
            IssuedCertificate certificate = result.certificate().orElseThrow();
            body.put("serial", certificate.serial().toString(16).toUpperCase(Locale.ROOT));
            body.put("certificate", Pem.certificate(certificate.certificate()));
            body.put("chain", certificate.chain().stream().map(Pem::certificate).toList());
            Responses.json(exchange, 200, body);
        } else {
            Responses.json(exchange, 202, body);
        }
    }
}
