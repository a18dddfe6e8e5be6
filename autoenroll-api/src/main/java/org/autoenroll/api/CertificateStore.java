package org.autoenroll.api;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Durable record of issued certificates, their states, the requests that produced them and what
 * clients reported. Every write is atomic: it happens whole or not at all. Thread-safe.
 *
 * <p>Every method throws {@link EnrollmentException} with {@link ErrorCode#ENROLLMENT_FAILED} when
 * the storage itself fails, unless it names another code.
 */
public interface CertificateStore {
    /**
     * Records a newly issued certificate and its request as issued; when {@code supersedes} is
     * given, revokes that certificate with reason superseded in the same transaction.
     *
     * @throws EnrollmentException {@link ErrorCode#INVALID_SERIAL} when the superseded certificate
     *     is not valid any more (another renewal won): nothing is recorded
     */
    void recordIssued(CertificateRecord certificate, Optional<BigInteger> supersedes) throws EnrollmentException;

    /** Records a request that waits for approval ({@link RequestRecord#pending}). */
    void recordPending(RequestRecord request) throws EnrollmentException;

    /**
     * An officer approves or denies a pending request.
     *
     * @param decision {@link RequestRecord.State#APPROVED} or {@link RequestRecord.State#DENIED}
     * @return false when no pending request has the id (nothing changed)
     */
    boolean decide(String requestId, RequestRecord.State decision, String officer, Instant at) throws EnrollmentException;

    /**
     * Pending requests of a customer (all customers when null), oldest first, at most {@code limit}
     * of them, created after {@code after} (a paging cursor: the last one's createdAt and id).
     */
    List<RequestRecord> findPending(String customerUri, Instant after, String afterId, int limit) throws EnrollmentException;

    /**
     * The valid, unexpired certificates of one owner within a customer, for one template, newest
     * first, at most {@code limit}: what the requirements list and renewal need, without reading
     * every certificate an owner ever held. Served by an index on (customer, owner, profile, state).
     */
    List<CertificateRecord> findUsable(String customerUri, String owner, String profile, Instant now, int limit)
            throws EnrollmentException;

    /** Requests of one owner still waiting (pending or approved), newest first, at most {@code limit}. */
    List<RequestRecord> findWaiting(String customerUri, String owner, int limit) throws EnrollmentException;

    Optional<RequestRecord> findRequest(String requestId) throws EnrollmentException;

    Optional<CertificateRecord> find(BigInteger serial) throws EnrollmentException;

    /**
     * Those of {@code serials} whose certificate is revoked (superseded included); unknown serials
     * are not. What the directory clean-up asks, on every enrollment, about each of this CA's
     * certificates in the user's entry: a database answers in one query reading no DER. The
     * default asks {@link #find} about each.
     */
    default Set<BigInteger> revokedAmong(Collection<BigInteger> serials) throws EnrollmentException {
        Set<BigInteger> revoked = new HashSet<>();
        for (BigInteger serial : serials) {
            if (find(serial).filter(r -> r.state() == CertificateState.REVOKED).isPresent()) {
                revoked.add(serial);
            }
        }
        return revoked;
    }

    /** The certificates of one owner within a customer, newest first. */
    List<CertificateRecord> findByOwner(String customerUri, String owner) throws EnrollmentException;

    /**
     * Revokes a valid certificate.
     *
     * @return false when there is no valid certificate with that serial (nothing changed)
     */
    boolean revoke(BigInteger serial, RevocationReason reason, Instant at) throws EnrollmentException;

    /** Hands every revoked certificate to {@code sink}, one at a time, without loading all at once. */
    void forEachRevoked(Consumer<CertificateRecord> sink) throws EnrollmentException;

    /**
     * Records the last status a client reported for a certificate.
     *
     * @throws EnrollmentException {@link ErrorCode#INVALID_SERIAL} when no certificate has the
     *     serial; {@link ErrorCode#STATUS_PROCESSING_FAILED} when the storage fails
     */
    void recordStatus(BigInteger serial, ReportedStatus status, Instant at) throws EnrollmentException;
}
