package org.autoenroll.wstep;

import java.util.Objects;

/**
 * One CES endpoint, as AD CS has one per CA and authentication type.
 *
 * @param customerUri the customer whose pipeline enrolls the requests
 * @param uri this endpoint's URL, which a pending answer refers the client back to
 * @param authentication how its clients authenticate
 * @param renewalOnly it accepts renewals only (seed 003's renewal-only mode)
 */
public record CesSettings(String customerUri, String uri, CepSettings.Authentication authentication, boolean renewalOnly) {
    public CesSettings {
        Objects.requireNonNull(customerUri, "customerUri");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(authentication, "authentication");
    }
}
