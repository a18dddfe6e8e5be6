package org.autoenroll.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kerberos client whose ticket a {@link TicketValidator} has checked: only validators create
 * these, so a step that receives one knows the caller proved who they are.
 *
 * <p>Two kinds of name (RFC 6806, MS-KILE): an ordinary principal ({@code alice}, {@code host/pc1})
 * and an enterprise principal (name type NT-ENTERPRISE, {@code kinit -E carol@corp.example}),
 * whose one component is a user principal name: then {@link #name()} is that UPN
 * ({@code carol@corp.example}), {@link #principal()} {@code carol@corp.example@REALM}, and
 * {@link #enterpriseName()} says so; a directory finds such a user by its userPrincipalName. When
 * the ticket carried a verified PAC, {@link #accountName()} is the account (sAMAccountName) the KDC
 * says it is for, which may differ from the name the user typed ({@code kinit john.doe} for account
 * {@code jdoe}): a directory must find exactly that account.
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
    private final boolean enterprise;
    private final String accountName;

    private AuthenticatedPrincipal(String name, String realm, byte[] responseToken, String userSid, List<String> groupSids,
                                   boolean enterprise, String accountName) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("principal name must be non-empty");
        }
        int at = name.indexOf('@');
        if (enterprise ? at <= 0 || at == name.length() - 1 || name.indexOf('@', at + 1) >= 0 || name.indexOf('/') >= 0
                : at >= 0) {
            throw new IllegalArgumentException(enterprise ? "an enterprise name must be one user@suffix"
                    : "principal name must be without realm");
        }
        if (realm == null || realm.isEmpty()) {
            throw new IllegalArgumentException("realm must be non-empty");
        }
        this.name = name;
        this.realm = realm;
        this.responseToken = responseToken == null ? null : responseToken.clone();
        this.userSid = userSid;
        this.groupSids = List.copyOf(groupSids);
        this.enterprise = enterprise;
        this.accountName = accountName;
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
        return new AuthenticatedPrincipal(name, realm, responseToken, null, List.of(), false, null);
    }

    /**
     * For {@link TicketValidator} implementations only: an enterprise principal (NT-ENTERPRISE).
     *
     * @param userPrincipalName the one name component, {@code user@suffix}, e.g. {@code carol@corp.example}
     * @param realm the ticket's client realm
     */
    public static AuthenticatedPrincipal enterprise(String userPrincipalName, String realm, byte[] responseToken) {
        return new AuthenticatedPrincipal(userPrincipalName, realm, responseToken, null, List.of(), true, null);
    }

    /** A copy carrying the SIDs read from a verified PAC. */
    public AuthenticatedPrincipal withPac(String userSid, List<String> groupSids) {
        return new AuthenticatedPrincipal(name, realm, responseToken, Objects.requireNonNull(userSid), groupSids, enterprise,
                accountName);
    }

    /** A copy carrying the SIDs and the account name (sAMAccountName) read from a verified PAC. */
    public AuthenticatedPrincipal withPac(String userSid, List<String> groupSids, String accountName) {
        return new AuthenticatedPrincipal(name, realm, responseToken, Objects.requireNonNull(userSid), groupSids, enterprise,
                accountName);
    }

    /** The user principal name an enterprise principal logged on with ({@code carol@corp.example}); empty for an ordinary one. */
    public Optional<String> enterpriseName() {
        return enterprise ? Optional.of(name) : Optional.empty();
    }

    /** The account (sAMAccountName) a verified PAC names, when there was one with a logon info. */
    public Optional<String> accountName() {
        return Optional.ofNullable(accountName);
    }

    /** The name without realm: {@code alice}; for an enterprise principal its UPN, {@code carol@corp.example}. */
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
