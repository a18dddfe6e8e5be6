package org.autoenroll.ldap;

import java.util.List;
import java.util.Optional;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.ldap.testkit.ComputerSpec;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;
import org.autoenroll.testkit.DirectoryLookupContract;
import org.junit.jupiter.api.AfterAll;

/** The test kit's backend-neutral directory contract, on {@link LdapDirectoryLookup} over the in-memory AD. */
class LdapLookupKitContractTest extends DirectoryLookupContract {
    private InMemoryActiveDirectory ad;
    private AdServer server;
    private LdapDirectoryLookup lookup;

    @Override
    protected DirectoryRef directory() {
        return server.ref();
    }

    @Override
    protected boolean supportsComputers() {
        return true;
    }

    @Override
    protected DirectoryLookup createLookup(List<Account> accounts) throws Exception {
        ad = InMemoryActiveDirectory.start();
        for (Account account : accounts) {
            if (account.computer()) {
                ad.addComputer(ComputerSpec.builder(account.sam().substring(0, account.sam().length() - 1))
                        .dnsHostName(account.dnsHostName()).build());
            } else {
                ad.addUser(UserSpec.builder(account.sam()).cn(account.commonName()).mail(account.mail())
                        .userPrincipalName(account.userPrincipalName()).disabled(account.disabled()).build());
            }
        }
        server = ad.adServer("kit", REALM);
        lookup = new LdapDirectoryLookup(LdapSettings.defaults(), null,
                ref -> Optional.of(server).filter(s -> s.id().equals(ref.id())));
        return lookup;
    }

    @AfterAll
    void stop() {
        if (lookup != null) {
            lookup.close();
        }
        if (ad != null) {
            ad.close();
        }
    }
}
