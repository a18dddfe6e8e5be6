package org.autoenroll.ldap;

import org.autoenroll.ldap.testkit.DirectoryContractTest;
import org.autoenroll.ldap.testkit.DirectoryFixture;
import org.autoenroll.ldap.testkit.InMemoryDirectoryFixture;

/** The directory contract against the in-memory directory (nested groups by the memberOf walk). */
class InMemoryDirectoryContractTest extends DirectoryContractTest {
    @Override
    protected DirectoryFixture startFixture() {
        return InMemoryDirectoryFixture.start();
    }
}
