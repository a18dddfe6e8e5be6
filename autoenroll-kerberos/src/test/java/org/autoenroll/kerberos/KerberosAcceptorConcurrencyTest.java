package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.autoenroll.kerberos.testkit.ServiceTicket;
import org.autoenroll.kerberos.testkit.TicketForger;
import org.junit.jupiter.api.Test;

class KerberosAcceptorConcurrencyTest {

    @Test
    void validate_manyThreadsDistinctTokens_allAcceptedEachReplayRefused() throws Exception {
        var now = KerberosAcceptorFuzzTest.NOW;
        KeytabEntry key = Keytabs.entry(KerberosAcceptorFuzzTest.KEYTAB, "HTTP/localhost", EncryptionType.AES256_CTS_HMAC_SHA1_96);
        ServiceTicket ticket = new TicketForger(KerberosAcceptorFuzzTest.REALM, "HTTP/localhost", key.getKey(), 2)
                .times(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(9))).forge();
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(KerberosAcceptorFuzzTest.REALM,
                KerberosAcceptorFuzzTest.KEYTAB).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
        List<byte[]> tokens = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            tokens.add(ticket.apReq().ctime(now).cusec(i).spnegoToken());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int copy = 0; copy < 2; copy++) {
                for (byte[] token : tokens) {
                    results.add(pool.submit(() -> {
                        try {
                            acceptor.validate(token);
                            return true;
                        } catch (org.autoenroll.api.EnrollmentException e) {
                            return false;
                        }
                    }));
                }
            }
            int accepted = 0;
            for (Future<Boolean> result : results) {
                accepted += result.get() ? 1 : 0;
            }
            assertEquals(tokens.size(), accepted, "each token accepted exactly once, its copy refused as replay");
        } finally {
            pool.shutdownNow();
        }
    }
}
