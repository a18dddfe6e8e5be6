package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.CertificateQuery;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateSearch;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.internal.Serials;

/**
 * {@code GET /admin/v1/certificates/{serial}} (upper-case hex, as the API writes serials; lower
 * case is read too): 200 with the certificate's record and the certificate in PEM. A malformed
 * or unknown serial is {@link ErrorCode#INVALID_SERIAL} (24). For auditors and officers. Thread-safe.
 */
final class CertificateEndpoint implements OperatorEndpoint {
    static final String PREFIX = "/admin/v1/certificates/";

    private final CertificateSearch search;

    CertificateEndpoint(CertificateSearch search) {
        this.search = search;
    }

    @Override
    public void handle(HttpServerExchange exchange, AdminAuthentication.Operator operator) throws Exception {
        BigInteger serial = CertificatesEndpoint.serial(exchange.getRequestPath().substring(PREFIX.length()));
        List<CertificateRecord> found = search.search(CertificateQuery.all(1).withSerial(serial));
        if (found.isEmpty()) {
            throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "no certificate has serial " + Serials.format(serial));
        }
        Map<String, Object> answer = CertificateViews.summary(found.get(0));
        answer.put("certificate", Pem.certificate(found.get(0).der()));
        Responses.json(exchange, 200, answer);
    }
}
