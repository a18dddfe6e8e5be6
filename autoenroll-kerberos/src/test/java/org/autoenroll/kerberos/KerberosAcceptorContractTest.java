package org.autoenroll.kerberos;

import org.autoenroll.api.TicketValidator;
import org.autoenroll.testkit.TicketValidatorContract;

/** The Kerberos acceptor passes the validator contract, with tokens from the test realm's Kerby KDC. */
class KerberosAcceptorContractTest extends TicketValidatorContract {
    @Override
    protected TicketValidator validator() {
        return KerberosAcceptor.builder().addRealm(TestRealm.realm(), TestRealm.keytab()).build();
    }

    @Override
    protected byte[] freshToken() {
        return TestRealm.kdc().negotiateToken(TestRealm.USER, TestRealm.PASSWORD, TestRealm.SERVICE);
    }

    @Override
    protected String expectedPrincipal() {
        return TestRealm.USER + "@" + TestRealm.realm();
    }
}
