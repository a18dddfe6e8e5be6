package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LdapDirectoryPublisherTest {
    private static final LdapSettings FAST = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(2)).withResponseTimeout(Duration.ofSeconds(3));
    private static final AtomicInteger BINDS = new AtomicInteger();
    private static final AtomicInteger MODIFIES = new AtomicInteger();
    private static InMemoryActiveDirectory ad;
    private static TestCertificates ca;
    private static TestCertificates foreignCa;
    private static int users;

    private LdapDirectoryLookup lookup;
    private LdapDirectoryPublisher publisher;
    private AdServer server;

    @BeforeAll
    static void start() throws Exception {
        ad = InMemoryActiveDirectory.builder().operationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
                BINDS.incrementAndGet();
            }

            @Override
            public void processModifyRequest(InMemoryInterceptedModifyRequest request) {
                MODIFIES.incrementAndGet();
            }
        }).start();
        ca = TestCertificates.ca("CN=Publisher Test CA");
        foreignCa = TestCertificates.ca("CN=Foreign CA");
    }

    @AfterAll
    static void stop() {
        ad.close();
    }

    @BeforeEach
    void open() {
        lookup = new LdapDirectoryLookup(FAST);
        publisher = new LdapDirectoryPublisher(lookup);
        server = ad.adServer("ad1", "EXAMPLE.COM");
    }

    @AfterEach
    void close() {
        lookup.close();
    }

    private static byte[] cert(TestCertificates issuer, int days) throws Exception {
        Instant now = Instant.now();
        return issuer.issueDer("user", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(days)));
    }

    private static String newUser(UserSpec.Builder spec) {
        return ad.addUser(spec.build());
    }

    private static String name() {
        return "pub" + (++users);
    }

    private DirectoryEntry find(String sam) throws EnrollmentException {
        return lookup.findUser(server, AuthenticatedPrincipal.of(sam, "EXAMPLE.COM", null));
    }

    private static boolean has(DirectoryEntry entry, byte[] value) {
        return entry.certificates().stream().anyMatch(v -> Arrays.equals(v, value));
    }

    @Test
    void updateCertificates_addAndRemove_lookupSeesResultForeignKept() throws Exception {
        String sam = name();
        byte[] old = cert(ca, 10);
        byte[] foreign = cert(foreignCa, 10);
        byte[] fresh = cert(ca, 365);
        newUser(UserSpec.builder(sam).certificate(old).certificate(foreign));
        DirectoryEntry before = find(sam);
        int binds = BINDS.get();
        publisher.updateCertificates(server, before.dn(), List.of(fresh), List.of(old));
        DirectoryEntry after = find(sam);
        assertTrue(has(after, fresh));
        assertTrue(has(after, foreign));
        assertFalse(has(after, old));
        assertEquals(2, after.certificates().size());
        assertEquals(binds, BINDS.get(), "the publisher reuses the lookup's bound pool");
    }

    @Test
    void updateCertificates_withCleanup_removesOnlyThisCasOld() throws Exception {
        String sam = name();
        Instant now = Instant.now();
        byte[] expired = ca.issueDer("user", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        byte[] foreignExpired = foreignCa.issueDer("user", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        byte[] fresh = cert(ca, 365);
        newUser(UserSpec.builder(sam).certificate(expired).certificate(foreignExpired));
        DirectoryEntry entry = find(sam);
        List<byte[]> remove = List.of(expired);   // core's CertificateCleanup: this CA's expired one, as a new one is added
        publisher.updateCertificates(server, entry.dn(), List.of(fresh), remove);
        DirectoryEntry after = find(sam);
        assertTrue(has(after, fresh));
        assertTrue(has(after, foreignExpired));
        assertFalse(has(after, expired));
    }

    @Test
    void updateCertificates_removeAbsentAddPresent_succeedsWithoutChange() throws Exception {
        String sam = name();
        byte[] present = cert(ca, 10);
        newUser(UserSpec.builder(sam).certificate(present));
        String dn = find(sam).dn();
        int modifies = MODIFIES.get();
        publisher.updateCertificates(server, dn, List.of(present), List.of(cert(ca, 5)));
        assertEquals(modifies, MODIFIES.get(), "nothing to change: no modify");
        assertEquals(1, find(sam).certificates().size());
    }

    @Test
    void updateCertificates_userWithoutCertificates_addsFirst() throws Exception {
        String sam = name();
        newUser(UserSpec.builder(sam));
        byte[] fresh = cert(ca, 365);
        publisher.updateCertificates(server, find(sam).dn(), List.of(fresh, fresh.clone()), List.of());
        assertEquals(1, find(sam).certificates().size());
        assertTrue(has(find(sam), fresh));
    }

    @Test
    void updateCertificates_binaryOptionStored_removedAndAdded() throws Exception {
        String sam = name();
        byte[] old = cert(ca, 10);
        byte[] fresh = cert(ca, 365);
        newUser(UserSpec.builder(sam).binaryCertificate(old));
        publisher.updateCertificates(server, find(sam).dn(), List.of(fresh), List.of(old));
        DirectoryEntry after = find(sam);
        assertFalse(has(after, old));
        assertTrue(has(after, fresh));
    }

    @Test
    void updateCertificates_dnOutsideUsersBase_refusedBeforeLdap() {
        int modifies = MODIFIES.get();
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> publisher.updateCertificates(server,
                "CN=svc,OU=Elsewhere," + ad.baseDn(), List.of(new byte[] {1}), List.of()));
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> publisher.updateCertificates(server,
                ad.usersDn(), List.of(new byte[] {1}), List.of()));
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> publisher.updateCertificates(server,
                "CN=x,CN=Users,DC=example,DC=com)(cn=*", List.of(new byte[] {1}), List.of()));
        assertEquals(modifies, MODIFIES.get());
    }

    @Test
    void updateCertificates_entryGone_throwsAdUnavailable() throws Exception {
        String sam = name();
        newUser(UserSpec.builder(sam));
        String dn = find(sam).dn();
        ad.delete(dn);
        assertCode(ErrorCode.AD_UNAVAILABLE, () -> publisher.updateCertificates(server, dn, List.of(cert(ca, 1)), List.of()));
    }

    @Test
    void updateCertificates_wrongBindPassword_throwsAdUnavailableWithoutPassword() throws Exception {
        String sam = name();
        newUser(UserSpec.builder(sam));
        String dn = find(sam).dn();
        String secret = "Not-The-Password-4711";
        AdServer wrong = new AdServer("ad-wrong", server.windowsDomain(), server.hosts(), false, server.usersBaseDn(),
                server.bindDn(), SecretRef.literal(secret.toCharArray()));
        EnrollmentException e = assertCode(ErrorCode.AD_UNAVAILABLE,
                () -> publisher.updateCertificates(wrong, dn, List.of(cert(ca, 1)), List.of()));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t).contains(secret));
        }
    }

    @Test
    void updateCertificates_oversizedInput_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> publisher.updateCertificates(server, "CN=a," + ad.usersDn(),
                List.of(new byte[EntryMapper.MAX_CERTIFICATE_BYTES + 1]), List.of()));
        assertThrows(IllegalArgumentException.class, () -> publisher.updateCertificates(server, "CN=a," + ad.usersDn(),
                List.of(), java.util.Collections.nCopies(LdapDirectoryPublisher.MAX_VALUES + 1, new byte[] {1})));
    }

    private static EnrollmentException assertCode(ErrorCode code, Executable call) {
        EnrollmentException e = assertThrows(EnrollmentException.class, call);
        assertEquals(code, e.code(), e::detail);
        return e;
    }
}
