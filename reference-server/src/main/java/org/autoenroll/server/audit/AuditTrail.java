package org.autoenroll.server.audit;

import java.util.Map;

/**
 * Where the server records what operators and the audit need to know afterwards: issuance,
 * renewal, refusal, revocation, approval, denial, operators' logins, configuration loads. An event
 * has a name and a few fields; callers never pass a CSR, a token, a password or a key.
 * Implementations are thread-safe and never throw to the caller.
 */
@FunctionalInterface
public interface AuditTrail {
    /** Records nothing: the server without an {@code audit} section. */
    AuditTrail NONE = (event, fields) -> { };

    /**
     * @param event upper-case event name, such as {@code ISSUED}
     * @param fields the event's fields in order; null values are left out
     */
    void record(String event, Map<String, ?> fields);
}
