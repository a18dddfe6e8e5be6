package org.autoenroll.server.config;

import org.autoenroll.api.LdapEndpoint;

/** Parses {@code host:port} (or {@code [v6]:port}) into an {@link LdapEndpoint}. Stateless. */
public final class HostPort {
    private HostPort() {
    }

    /** What is wrong with {@code value}, or null when it parses. */
    static String problem(String value) {
        try {
            parse(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public static LdapEndpoint parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("must be host:port");
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("must be host:port, was " + value);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in " + value);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535 in " + value);
        }
        return new LdapEndpoint(host, port);
    }
}
