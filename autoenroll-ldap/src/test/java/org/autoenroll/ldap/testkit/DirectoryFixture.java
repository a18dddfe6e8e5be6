package org.autoenroll.ldap.testkit;

import java.util.Optional;
import org.autoenroll.api.AdServer;

/**
 * A running directory that a test can fill with users and groups and point a
 * {@link org.autoenroll.api.DirectoryLookup} at: what {@link DirectoryContractTest} needs from a backend.
 * Implemented by {@link InMemoryDirectoryFixture}, {@link SlapdFixture} and {@link SambaDcFixture};
 * an integrator implements it for their own directory.
 *
 * <p>Implementations say whether they are thread-safe; the contract suite calls them from one thread.
 */
public interface DirectoryFixture {
    /** The Windows domain / Kerberos realm the directory serves, upper case (e.g. {@code SAMBA.TEST}). */
    String realm();

    /** The domain root, e.g. {@code DC=samba,DC=test}. */
    String baseDn();

    /** Where users and groups are added, e.g. {@code CN=Users,DC=samba,DC=test}. */
    String usersDn();

    /**
     * Adds a group that is a member of the given groups.
     *
     * @param parentGroupDns DNs returned by earlier calls
     * @return the new group's DN
     */
    String addGroup(String commonName, String... parentGroupDns);

    /**
     * Adds a user as {@link UserSpec} describes it; {@link UserSpec#groups()} are DNs returned by
     * {@link #addGroup}.
     *
     * @return the new entry's DN
     */
    String addUser(UserSpec spec);

    /**
     * Adds a computer account ({@code sAMAccountName NAME$}, objectClass {@code computer}) as a domain
     * join makes one; {@link ComputerSpec#groups()} are DNs returned by {@link #addGroup}.
     *
     * @return the new entry's DN
     * @throws UnsupportedOperationException when this directory has no computer accounts
     */
    default String addComputer(ComputerSpec spec) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " adds no computer accounts");
    }

    /**
     * The {@code objectSid} of an entry added here, in S-1-... form; empty when the directory gives
     * its entries none (directories that are not AD).
     */
    default Optional<String> objectSid(String dn) {
        return Optional.empty();
    }

    /** A record for this directory (users base {@link #usersDn()}), binding as its service account. */
    AdServer adServer(String id);
}
