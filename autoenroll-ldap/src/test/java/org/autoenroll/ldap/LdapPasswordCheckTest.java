package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Passwords are checked by a bind as the user; the pool goes on binding as the service account. */
class LdapPasswordCheckTest {
    static InMemoryActiveDirectory ad;
    static LdapDirectoryLookup lookup;
    static LdapPasswordCheck check;
    static AdServer server;

    @BeforeAll
    static void start() throws Exception {
        ad = InMemoryActiveDirectory.start();
        ad.addUser(UserSpec.builder("pat").mail("pat@example.com").password("pat-secret-pw".toCharArray()).build());
        ad.addUser(UserSpec.builder("nopw").mail("nopw@example.com").build());
        lookup = new LdapDirectoryLookup(LdapSettings.defaults().withResponseTimeout(Duration.ofSeconds(3)));
        check = new LdapPasswordCheck(lookup);
        server = ad.adServer("ad");
    }

    @AfterAll
    static void stop() {
        lookup.close();
        ad.close();
    }

    @Test
    void authenticate_rightPasswordInEachUserForm_returnsTheEntry() throws Exception {
        for (String user : new String[] {"pat", "EXAMPLE\\pat", "pat@example.com"}) {
            assertEquals("pat", check.authenticate(server, user, "pat-secret-pw".toCharArray()).samAccountName());
        }
        // the pooled connections are the service account's again
        assertEquals("pat", lookup.findUser(server, AuthenticatedPrincipal.of("pat", "EXAMPLE.COM", null)).samAccountName());
    }

    @Test
    void authenticate_wrongPassword_authenticationError() {
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> check.authenticate(server, "pat", "Guess-77-pw".toCharArray()));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
        assertEquals(false, e.detail().contains("Guess-77"));
    }

    @Test
    void authenticate_emptyPassword_refusedBeforeAnAnonymousBind() {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> check.authenticate(server, "pat", new char[0]));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
    }

    @Test
    void authenticate_userWithoutPassword_authenticationError() {
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, assertThrows(EnrollmentException.class,
                () -> check.authenticate(server, "nopw", "anything".toCharArray())).code());
    }

    @Test
    void authenticate_unknownUser_noValidUser() {
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD, assertThrows(EnrollmentException.class,
                () -> check.authenticate(server, "ghost", "x".toCharArray())).code());
    }
}
