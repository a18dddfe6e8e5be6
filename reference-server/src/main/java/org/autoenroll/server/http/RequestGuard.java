package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.URI;
import java.util.Locale;
import org.autoenroll.api.ErrorCode;

/**
 * Refuses what a web page of another site could make a browser send with the user's Kerberos
 * single sign-on (cross-site request forgery): a request whose {@code Origin} names another
 * server, or that the browser marks {@code Sec-Fetch-Site: cross-site} or {@code same-site}, is
 * {@link ErrorCode#CROSS_ORIGIN_REFUSED} (61, HTTP 403); a body of a media type the route does not
 * accept (a form or {@code text/plain}, which need no CORS preflight) is 415 with
 * {@link ErrorCode#MALFORMED_REQUEST} (44). No CORS header is ever granted. Stateless.
 */
final class RequestGuard {
    private RequestGuard() {
    }

    /** For routes that act for an authenticated caller. */
    static void checkOrigin(HttpServerExchange exchange) throws Refusal {
        String fetchSite = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (fetchSite != null && (fetchSite.equalsIgnoreCase("cross-site") || fetchSite.equalsIgnoreCase("same-site"))) {
            throw new Refusal(403, ErrorCode.CROSS_ORIGIN_REFUSED, "the browser says this request comes from another site");
        }
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin != null && !sameOrigin(origin, exchange.getRequestScheme(), exchange.getHostAndPort())) {
            throw new Refusal(403, ErrorCode.CROSS_ORIGIN_REFUSED, "the Origin header names another site than this server");
        }
    }

    static void checkContentType(HttpServerExchange exchange, BodyReader body) throws Refusal {
        if (declaresNoBody(exchange)) {
            return; // nothing to interpret: an endpoint whose body is optional reads it as absent
        }
        if (!body.acceptsContentType(exchange)) {
            throw new Refusal(415, ErrorCode.MALFORMED_REQUEST, "the Content-Type must be " + body.mediaTypes());
        }
    }

    /** No Content-Length (or 0) and no Transfer-Encoding: HTTP/1.1 says there is no body. */
    static boolean declaresNoBody(HttpServerExchange exchange) {
        return exchange.getRequestContentLength() <= 0
                && !exchange.getRequestHeaders().contains(io.undertow.util.Headers.TRANSFER_ENCODING);
    }

    /** True when {@code origin} (scheme://host[:port]) is this server as the request addressed it. */
    static boolean sameOrigin(String origin, String scheme, String hostAndPort) {
        try {
            URI uri = new URI(origin.strip());
            if (uri.getScheme() == null || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                return false;
            }
            URI self = new URI(scheme + "://" + hostAndPort);
            return uri.getScheme().equalsIgnoreCase(self.getScheme())
                    && uri.getHost().toLowerCase(Locale.ROOT).equals(self.getHost() == null ? null : self.getHost().toLowerCase(Locale.ROOT))
                    && port(uri) == port(self);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : -1;
    }
}
