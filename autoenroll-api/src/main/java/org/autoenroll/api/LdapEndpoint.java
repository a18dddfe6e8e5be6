package org.autoenroll.api;

/**
 * One host of an Active Directory server record.
 *
 * @since 0.1
 */
public record LdapEndpoint(String host, int port) {
    public LdapEndpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
