package org.autoenroll.ldap;

import org.autoenroll.ldap.testkit.DirectoryContractTest;
import org.autoenroll.ldap.testkit.DirectoryFixture;
import org.autoenroll.ldap.testkit.SambaDcFixture;

/**
 * The directory contract against Samba 4 as an AD DC (nested groups by the in-chain rule). The DC
 * is the JVM's shared one and stays up for other tests.
 */
class SambaDirectoryContractTest extends DirectoryContractTest {
    @Override
    protected DirectoryFixture startFixture() {
        return SambaDcFixture.shared();
    }

    @Override
    protected void stopFixture(DirectoryFixture started) {
        // shared: stopped at JVM exit
    }
}
