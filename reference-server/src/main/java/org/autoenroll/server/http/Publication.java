package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;

/**
 * Serves the CA's public documents with the headers caches need: the CRL and delta CRL
 * ({@code application/pkix-crl}) and OCSP answers ({@code application/ocsp-response}, RFC 5019
 * caching for the GET form). A CRL may be cached until its next update, but at most
 * {@link #MAX_CRL_AGE} (revocations are published at once, and clients should see them soon);
 * an OCSP GET answer until its nextUpdate, at most {@link #MAX_OCSP_AGE}; a POST answer is never
 * cached. Thread-safe.
 */
final class Publication {
    static final Duration MAX_CRL_AGE = Duration.ofMinutes(5);
    static final Duration MAX_OCSP_AGE = Duration.ofMinutes(5);
    static final String CRL_TYPE = "application/pkix-crl";
    static final String OCSP_RESPONSE_TYPE = "application/ocsp-response";
    static final String OCSP_REQUEST_TYPE = "application/ocsp-request";
    /** OcspResponder refuses larger requests as malformed; reading more would be wasted. */
    static final int MAX_OCSP_REQUEST_BYTES = 16 * 1024;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Clock clock;

    Publication(Clock clock) {
        this.clock = clock;
    }

    void crl(HttpServerExchange exchange, InputStream crl) throws Exception {
        try (InputStream in = crl) {
            CrlDates.Dates dates = CrlDates.read(in);
            cacheable(exchange, Date.from(dates.thisUpdate()), dates.nextUpdate().map(Date::from).orElse(null), MAX_CRL_AGE);
            Responses.stream(exchange, 200, CRL_TYPE, in, in.available());
        }
    }

    void ocsp(HttpServerExchange exchange, byte[] response, boolean cacheable) throws Exception {
        if (cacheable) {
            SingleResp first = firstAnswer(response);
            if (first != null) {
                cacheable(exchange, first.getThisUpdate(), first.getNextUpdate(), MAX_OCSP_AGE);
            }
        } else {
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        }
        Responses.send(exchange, 200, OCSP_RESPONSE_TYPE, response);
    }

    private static SingleResp firstAnswer(byte[] response) throws Exception {
        OCSPResp parsed = new OCSPResp(response);
        if (parsed.getStatus() != OCSPResp.SUCCESSFUL) {
            return null;
        }
        SingleResp[] answers = ((BasicOCSPResp) parsed.getResponseObject()).getResponses();
        return answers.length == 0 ? null : answers[0];
    }

    private void cacheable(HttpServerExchange exchange, Date thisUpdate, Date nextUpdate, Duration cap) {
        Instant now = clock.instant();
        long seconds = cap.getSeconds();
        if (nextUpdate != null) {
            seconds = Math.max(0, Math.min(seconds, Duration.between(now, nextUpdate.toInstant()).getSeconds()));
            exchange.getResponseHeaders().put(Headers.EXPIRES, HTTP_DATE.format(nextUpdate.toInstant()));
        }
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "public, max-age=" + seconds + ", no-transform, must-revalidate");
        exchange.getResponseHeaders().put(Headers.LAST_MODIFIED, HTTP_DATE.format(thisUpdate.toInstant()));
    }
}
