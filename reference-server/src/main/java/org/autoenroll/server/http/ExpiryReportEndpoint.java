package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.autoenroll.api.CertificateQuery;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateSearch;
import org.autoenroll.api.CertificateState;

/**
 * {@code GET /admin/v1/reports/expiry?[days=N][&template][&customerUri][&after][&limit]}: the valid
 * certificates that expire within the next N days (1-3650, default 30), soonest first, a page at
 * a time: 200 {@code {from, until, days, certificates: [...], next}}. Expired ones are not listed
 * (they need no action); revoked ones neither. For auditors and officers. Thread-safe.
 */
final class ExpiryReportEndpoint implements OperatorEndpoint {
    static final String PATH = "/admin/v1/reports/expiry";
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 3650;
    private static final Set<String> PARAMETERS = Set.of("days", "template", "customerUri", "after", "limit");

    private final CertificateSearch search;
    private final Clock clock;

    ExpiryReportEndpoint(CertificateSearch search, Clock clock) {
        this.search = search;
        this.clock = clock;
    }

    @Override
    public void handle(HttpServerExchange exchange, AdminAuthentication.Operator operator) throws Exception {
        QueryParameters query = QueryParameters.check(exchange.getQueryParameters(), PARAMETERS);
        int days = query.number("days", 1, MAX_DAYS, DEFAULT_DAYS);
        int limit = query.number("limit", 1, CertificateQuery.MAX_LIMIT, CertificatesEndpoint.DEFAULT_LIMIT);
        // whole seconds, so that the cursor of a page stays within the same window on the next call
        Instant from = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant until = from.plus(Duration.ofDays(days));
        List<CertificateRecord> page = search.search(CertificateQuery.all(limit)
                .withState(CertificateState.VALID)
                .withProfile(query.get("template"))
                .withCustomer(query.get("customerUri"))
                .expiring(from, until)
                .withAfter(query.get("after") == null ? null : CertificateViews.decode(query.get("after"))));
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("from", from.toString());
        answer.put("until", until.toString());
        answer.put("days", days);
        answer.putAll(CertificateViews.page(page, limit));
        Responses.json(exchange, 200, answer);
    }
}
