package org.autoenroll.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a client reports back about a certificate it received ({@code POST /api/v1/status}).
 *
 * @since 0.1
 */
public enum ReportedStatus {
    /** The certificate is installed in the client's store. */
    INSTALLED,
    /** The client could not install it. */
    INSTALL_FAILED;

    /** Exact, case-sensitive match of the name: anything else is an invalid status. */
    public static Optional<ReportedStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.name().equals(value)).findFirst();
    }
}
