package org.autoenroll.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.Person;
import org.autoenroll.api.PersonStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline's person step needs from every {@link PersonStore}: a person belongs to one
 * customer, by principal and by e-mail ({@code PERSON_MISMATCH}, 20, otherwise). Extend it with
 * {@link #newStore()}.
 *
 * @since 0.1
 */
public abstract class PersonStoreContract {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String ACME = "urn:customer:acme";
    private static final String OTHER = "urn:customer:other";
    protected PersonStore store;

    /** A new, empty store; called before each test. */
    protected abstract PersonStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void releaseStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    public void sync_newPerson_thenFoundAndUpdated() throws Exception {
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice@example.com", "Alice", NOW));
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice.smith@example.com", "Alice Smith", NOW.plusSeconds(99)));
        Person found = store.find(ACME, "alice@EXAMPLE.COM").orElseThrow();
        assertEquals("alice.smith@example.com", found.email());
        assertEquals("Alice Smith", found.commonName());
        assertEquals(NOW.plusSeconds(99), found.syncedAt());
        assertTrue(store.find(OTHER, "alice@EXAMPLE.COM").isEmpty());
    }

    @Test
    public void sync_principalOfAnotherCustomer_personMismatchAndNothingChanges() throws Exception {
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice@example.com", "Alice", NOW));
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.sync(new Person(OTHER, "alice@EXAMPLE.COM", "alice@other.com", "Alice", NOW)));
        assertEquals(ErrorCode.PERSON_MISMATCH, e.code());
        assertEquals("alice@example.com", store.find(ACME, "alice@EXAMPLE.COM").orElseThrow().email());
    }

    @Test
    public void sync_emailOfAnotherCustomersPersonInOtherCase_personMismatch() throws Exception {
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice@example.com", "Alice", NOW));
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.sync(new Person(OTHER, "mallory@OTHER.COM", "Alice@Example.com", "Mallory", NOW)));
        assertEquals(ErrorCode.PERSON_MISMATCH, e.code());
        assertTrue(store.find(OTHER, "mallory@OTHER.COM").isEmpty());
    }

    @Test
    public void sync_emailMovedToRenamedAccountOfSameCustomer_movesToTheNewPrincipal() throws Exception {
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice@example.com", "Alice", NOW));
        store.sync(new Person(ACME, "asmith@EXAMPLE.COM", "alice@example.com", "Alice Smith", NOW));
        assertTrue(store.find(ACME, "alice@EXAMPLE.COM").isEmpty());
        assertEquals("alice@example.com", store.find(ACME, "asmith@EXAMPLE.COM").orElseThrow().email());
    }
}
