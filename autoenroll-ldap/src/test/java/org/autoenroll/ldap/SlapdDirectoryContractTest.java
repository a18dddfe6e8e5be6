package org.autoenroll.ldap;

import org.autoenroll.ldap.testkit.DirectoryContractTest;
import org.autoenroll.ldap.testkit.DirectoryFixture;
import org.autoenroll.ldap.testkit.SlapdFixture;

/** The directory contract against OpenLDAP slapd with the AD-like schema and the memberof overlay. */
class SlapdDirectoryContractTest extends DirectoryContractTest {
    @Override
    protected DirectoryFixture startFixture() {
        return SlapdFixture.start();
    }
}
