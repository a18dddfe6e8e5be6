package org.autoenroll.server.http;

/**
 * A route of the {@link Router}: an exact path, or a prefix whose rest the endpoint reads;
 * {@code body} null when it takes none. An operator route has the role it needs and an
 * {@link OperatorEndpoint}; the others an {@link Endpoint}. Immutable.
 */
record Route(String method, String path, String suffix, Match match, Access access, AdminAuthentication.Role role,
             BodyReader body, Endpoint endpoint, OperatorEndpoint operatorEndpoint) {

    /** Who may call a route: anyone, an enrollment user (Negotiate), or an operator (admin token). */
    enum Access { PUBLIC, USER, OPERATOR }

    /**
     * How a route's path matches: exactly, or as a prefix of one more segment, or of any rest, or
     * as a prefix, one segment and a suffix ({@code /admin/v1/requests/{id}/approve}).
     */
    enum Match { EXACT, ONE_SEGMENT, ANY_REST, SEGMENT_THEN_SUFFIX }

    Route(String method, String path, Match match, Access access, BodyReader body, Endpoint endpoint) {
        this(method, path, "", match, access, null, body, endpoint, null);
    }

    boolean matchesPath(String requestPath) {
        if (match == Match.EXACT) {
            return path.equals(requestPath);
        }
        if (match == Match.SEGMENT_THEN_SUFFIX) {
            return requestPath.startsWith(path) && requestPath.endsWith(suffix)
                    && requestPath.length() > path.length() + suffix.length()
                    && requestPath.indexOf('/', path.length()) == requestPath.length() - suffix.length();
        }
        return requestPath.startsWith(path) && requestPath.length() > path.length()
                && (match == Match.ANY_REST || requestPath.indexOf('/', path.length()) < 0);
    }
}
