package org.autoenroll.samples.load;

import java.util.ArrayList;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.client.KrbConfig;
import org.apache.kerby.kerberos.kerb.type.ticket.SgtTicket;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;
import org.autoenroll.kerberos.testkit.ServiceTicket;
import org.autoenroll.server.demo.DemoEnvironment;
import org.autoenroll.server.demo.DemoEnvironment.DemoUser;

/**
 * Negotiate tokens from the demo KDC, as domain clients make them: each user logs in once (AS
 * exchange) and gets one service ticket for {@code HTTP/localhost} (TGS exchange); every request
 * then carries a new authenticator for that ticket (a distinct cusec each, so that the server's
 * replay cache sees no two alike). Not thread-safe: make the tokens before sending them.
 */
final class DemoTokens {
    private final List<ServiceTicket> tickets = new ArrayList<>();
    private int issued;

    DemoTokens(int kdcPort, List<DemoUser> users) throws KrbException {
        // an explicit configuration: no krb5.conf of the machine (KRB5_CONFIG, /etc/krb5.conf) is read
        KrbClient client = new KrbClient(new KrbConfig());
        client.setKdcRealm(DemoEnvironment.REALM);
        client.setKdcHost("127.0.0.1");
        client.setKdcTcpPort(kdcPort);
        client.setAllowTcp(true);
        client.setAllowUdp(false);
        client.setTimeout(10_000);
        client.init();
        for (DemoUser user : users) {
            TgtTicket tgt = client.requestTgt(user.name() + "@" + DemoEnvironment.REALM, user.password());
            SgtTicket sgt = client.requestSgt(tgt, DemoEnvironment.SERVICE_PRINCIPAL + "@" + DemoEnvironment.REALM);
            tickets.add(new ServiceTicket(sgt.getTicket(), sgt.getSessionKey(), user.name(), DemoEnvironment.REALM));
        }
    }

    /** The next SPNEGO token of the {@code userIndex}-th user, with ctime now. */
    byte[] next(int userIndex) {
        int cusec = issued++ % 1_000_000;
        return tickets.get(userIndex).apReq().cusec(cusec).spnegoToken();
    }
}
