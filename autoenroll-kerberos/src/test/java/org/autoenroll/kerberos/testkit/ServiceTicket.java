package org.autoenroll.kerberos.testkit;

import java.time.Instant;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;

/**
 * A service ticket with its session key and client, as a client holds it after a TGS exchange
 * (or as {@link TicketForger} makes it). Build tokens from it with {@link #apReq()}.
 */
public record ServiceTicket(Ticket ticket, EncryptionKey sessionKey, String clientName, String clientRealm) {

    /** A builder for an AP-REQ that a GSS initiator would send with this ticket, ctime now. */
    public ApReqBuilder apReq() {
        return new ApReqBuilder(ticket, sessionKey, clientName, clientRealm).ctime(Instant.now());
    }
}
