package org.autoenroll.ldap.testkit;

import java.util.Optional;
import org.autoenroll.api.AdServer;

/**
 * {@link DirectoryFixture} over an {@link InMemoryActiveDirectory} in this JVM (no external program).
 *
 * <p>Thread-safe as the wrapped directory is.
 */
public final class InMemoryDirectoryFixture implements DirectoryFixture, AutoCloseable {
    private final InMemoryActiveDirectory directory;

    public InMemoryDirectoryFixture(InMemoryActiveDirectory directory) {
        this.directory = directory;
    }

    /** Starts a fresh in-memory directory with the default base DN. */
    public static InMemoryDirectoryFixture start() {
        return new InMemoryDirectoryFixture(InMemoryActiveDirectory.start());
    }

    public InMemoryActiveDirectory directory() {
        return directory;
    }

    @Override
    public String realm() {
        return directory.dnsDomain().toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String baseDn() {
        return directory.baseDn();
    }

    @Override
    public String usersDn() {
        return directory.usersDn();
    }

    @Override
    public String addGroup(String commonName, String... parentGroupDns) {
        return directory.addGroup(commonName, parentGroupDns);
    }

    @Override
    public String addUser(UserSpec spec) {
        return directory.addUser(spec);
    }

    @Override
    public String addComputer(ComputerSpec spec) {
        return directory.addComputer(spec);
    }

    @Override
    public Optional<String> objectSid(String dn) {
        return directory.objectSid(dn);
    }

    @Override
    public AdServer adServer(String id) {
        return directory.adServer(id, realm());
    }

    @Override
    public void close() {
        directory.close();
    }
}
