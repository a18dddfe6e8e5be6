package org.autoenroll.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kerberos client whose ticket a {@link TicketValidator} has checked: only validators create
 * these, so a step that receives one knows the caller proved who they are.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class AuthenticatedPrincipal {
    private final String name;
    private final String realm;
    private final byte[] responseToken;
    private final String userSid;
    private final List<String> groupSids;

    private AuthenticatedPrincipal(String name, String realm, byte[] responseToken, String userSid, List<String> groupSids) {
        if (name == null || name.isEmpty() || name.indexOf('@') >= 0) {
            throw new IllegalArgumentException("principal name must be non-empty and without realm");
        }
        if (realm == null || realm.isEmpty()) {
            throw new IllegalArgumentException("realm must be non-empty");
        }
        this.name = name;
        this.realm = realm;
        this.responseToken = responseToken == null ? null : responseToken.clone();
        this.userSid = userSid;
        this.groupSids = List.copyOf(groupSids);
    }

    /**
     * For {@link TicketValidator} implementations only.
     *
     * @param name the client principal without realm, e.g. {@code alice} or {@code host/pc1}
     * @param realm the ticket's client realm, e.g. {@code EXAMPLE.COM}
     * @param responseToken the Negotiate token for mutual authentication (SPNEGO accept-completed
     *     with an AP-REP), or null when the client did not ask for it
     */
    public static AuthenticatedPrincipal of(String name, String realm, byte[] responseToken) {
        return new AuthenticatedPrincipal(name, realm, responseToken, null, List.of());
    }

    /** A copy carrying the SIDs read from a verified PAC. */
    public AuthenticatedPrincipal withPac(String userSid, List<String> groupSids) {
        return new AuthenticatedPrincipal(name, realm, responseToken, Objects.requireNonNull(userSid), groupSids);
    }

    /** The name without realm: {@code alice}. */
    public String name() {
        return name;
    }

    /** The realm in upper case as the ticket carries it: {@code EXAMPLE.COM}. */
    public String realm() {
        return realm;
    }

    /** {@code alice@EXAMPLE.COM}. */
    public String principal() {
        return name + "@" + realm;
    }

    public Optional<byte[]> responseToken() {
        return Optional.ofNullable(responseToken).map(byte[]::clone);
    }

    /** The user's SID from the PAC, when the ticket carried a verified one. */
    public Optional<String> userSid() {
        return Optional.ofNullable(userSid);
    }

    public List<String> groupSids() {
        return groupSids;
    }

    @Override
    public String toString() {
        return principal();
    }
}
