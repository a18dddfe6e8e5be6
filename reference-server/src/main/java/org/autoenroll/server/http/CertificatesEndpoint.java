package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.autoenroll.api.CertificateQuery;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateSearch;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.internal.Serials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/v1/certificates?[owner][&template][&serial][&state][&expiringBefore]
 * [&customerUri][&after][&limit]}: one page of the certificates matching every filter given, in
 * the order {@link CertificateQuery} describes; 200 {@code {certificates: [...], next}}, where
 * {@code next} is the cursor of the next page or null on the last. Unknown, repeated or malformed
 * parameters are {@link ErrorCode#MALFORMED_REQUEST} (44), a malformed serial
 * {@link ErrorCode#INVALID_SERIAL} (24). For auditors and officers. Thread-safe.
 */
final class CertificatesEndpoint implements OperatorEndpoint {
    static final String PATH = "/admin/v1/certificates";
    static final int DEFAULT_LIMIT = 100;
    private static final Logger LOG = LoggerFactory.getLogger(CertificatesEndpoint.class);
    private static final Set<String> PARAMETERS = Set.of("owner", "template", "serial", "state", "expiringBefore",
            "customerUri", "after", "limit");

    private final CertificateSearch search;

    CertificatesEndpoint(CertificateSearch search) {
        this.search = search;
    }

    @Override
    public void handle(HttpServerExchange exchange, AdminAuthentication.Operator operator) throws Exception {
        QueryParameters query = QueryParameters.check(exchange.getQueryParameters(), PARAMETERS);
        int limit = query.number("limit", 1, CertificateQuery.MAX_LIMIT, DEFAULT_LIMIT);
        CertificateQuery search = CertificateQuery.all(limit)
                .withCustomer(query.get("customerUri"))
                .withOwner(query.get("owner"))
                .withProfile(query.get("template"))
                .withState(state(query.get("state")))
                .withSerial(serial(query.get("serial")))
                .expiring(null, instant("expiringBefore", query.get("expiringBefore")))
                .withAfter(query.get("after") == null ? null : CertificateViews.decode(query.get("after")));
        List<CertificateRecord> page = this.search.search(search);
        LOG.info("operator {} searched certificates: {} found", operator.name(), page.size());
        Responses.json(exchange, 200, CertificateViews.page(page, limit));
    }

    static CertificateState state(String value) throws EnrollmentException {
        if (value == null) {
            return null;
        }
        try {
            return CertificateState.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw QueryParameters.malformed("state must be VALID or REVOKED");
        }
    }

    /** A serial as the API writes it: 1-40 hex digits, positive. */
    static BigInteger serial(String value) throws EnrollmentException {
        if (value == null) {
            return null;
        }
        BigInteger serial = Serials.parse(value);
        if (serial.signum() <= 0) {
            throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "a serial is a positive number");
        }
        return serial;
    }

    static Instant instant(String name, String value) throws EnrollmentException {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw QueryParameters.malformed(name + " must be an ISO-8601 UTC time, e.g. 2027-01-31T00:00:00Z");
        }
    }
}
