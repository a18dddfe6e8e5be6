package org.autoenroll.api;

import java.util.List;

/**
 * Searching issued certificates for operators, a page at a time: an optional capability of a
 * {@link CertificateStore} (the reference server's admin API needs it; enrollment does not).
 * Implementations read each page along an index, never every certificate. Thread-safe.
 *
 * @since 0.1
 */
public interface CertificateSearch {
    /**
     * One page of the certificates matching {@code query}, in the order {@link CertificateQuery}
     * describes, at most {@code query.limit()} of them; fewer only on the last page.
     *
     * @throws EnrollmentException {@link ErrorCode#ENROLLMENT_FAILED} when the storage fails
     */
    List<CertificateRecord> search(CertificateQuery query) throws EnrollmentException;
}
