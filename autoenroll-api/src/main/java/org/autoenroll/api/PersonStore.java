package org.autoenroll.api;

import java.util.Optional;

/**
 * The persons certificates are issued to, each belonging to one customer. Thread-safe.
 *
 * @since 0.1
 */
public interface PersonStore {
    /**
     * Creates or updates the person for {@code principal} with the directory's current values.
     *
     * @throws EnrollmentException {@link ErrorCode#PERSON_MISMATCH} when the principal or the
     *     e-mail already belongs to a person of another customer (nothing changes);
     *     {@link ErrorCode#PERSON_SYNC_FAILED} when the storage fails
     */
    Person sync(Person person) throws EnrollmentException;

    /** @throws EnrollmentException {@link ErrorCode#STATUS_PROCESSING_FAILED} when the storage fails */
    Optional<Person> find(String customerUri, String principal) throws EnrollmentException;
}
