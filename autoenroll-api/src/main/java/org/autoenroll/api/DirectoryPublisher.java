package org.autoenroll.api;

import java.util.List;

/**
 * Publishes certificates in the directory as Windows autoenrollment does: adds a newly issued
 * certificate to the user's {@code userCertificate}, and removes this CA's certificates that are
 * revoked, superseded or expired. Certificates another CA issued are never touched.
 * Implementations bind as the AD server's service account and are thread-safe.
 *
 * @since 0.1
 */
public interface DirectoryPublisher {
    /**
     * Changes the user's {@code userCertificate} values in one modify operation.
     *
     * @param directory the directory the user lives in
     * @param userDn the user's entry, as {@link DirectoryEntry#dn()} gave it
     * @param add DER certificates to add (absent values only)
     * @param remove DER certificates to remove (present values only); the caller lists only
     *     certificates its own CA issued
     * @throws EnrollmentException {@link ErrorCode#AD_UNAVAILABLE} when the directory cannot be
     *     reached or refuses the change
     */
    void updateCertificates(DirectoryRef directory, String userDn, List<byte[]> add, List<byte[]> remove) throws EnrollmentException;
}
