package org.autoenroll.testkit;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.Person;
import org.autoenroll.api.PersonStore;
import org.autoenroll.api.ReportedStatus;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.api.RevocationReason;

/**
 * A {@link CertificateStore} and {@link PersonStore} in memory, with the semantics of the JDBC store
 * (it passes {@link CertificateStoreContract}): for tests, demos and products that keep nothing
 * across restarts. Every operation is atomic: one lock guards all state, so a renewal that
 * supersedes a certificate revokes it in the same step, and of concurrent renewals of one
 * certificate exactly one wins. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryCertificateStore implements CertificateStore, PersonStore {
    private final Clock clock;
    private final Map<BigInteger, CertificateRecord> certificates = new TreeMap<>();
    private final Map<String, RequestRecord> requests = new HashMap<>();
    private final Map<String, Person> persons = new HashMap<>();
    /** The principal of the person holding each e-mail address (lower case). */
    private final Map<String, String> principalsByEmail = new HashMap<>();

    /** A store whose supersede revocations and issued requests take their time from {@code clock}. */
    public InMemoryCertificateStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public InMemoryCertificateStore() {
        this(Clock.systemUTC());
    }

    @Override
    public synchronized void recordIssued(CertificateRecord certificate, Optional<BigInteger> supersedes)
            throws EnrollmentException {
        if (certificates.containsKey(certificate.serial())) {
            throw new EnrollmentException(ErrorCode.ENROLLMENT_FAILED,
                    "serial " + certificate.serial().toString(16).toUpperCase(java.util.Locale.ROOT) + " is already recorded");
        }
        RequestRecord request = requests.get(certificate.requestId());
        if (request != null && request.state() == RequestRecord.State.ISSUED) {
            throw new EnrollmentException(ErrorCode.ENROLLMENT_FAILED, "request " + certificate.requestId() + " was already issued");
        }
        Instant now = clock.instant();
        if (supersedes.isPresent()) {
            CertificateRecord old = certificates.get(supersedes.get());
            if (old == null || old.state() != CertificateState.VALID || !old.customerUri().equals(certificate.customerUri())
                    || !old.owner().equals(certificate.owner())) {
                throw new EnrollmentException(ErrorCode.INVALID_SERIAL,
                        "the superseded certificate is not a valid certificate of the same owner");
            }
            certificates.put(old.serial(), withState(old, RevocationReason.SUPERSEDED, now, old.reportedStatus()));
        }
        certificates.put(certificate.serial(), certificate);
        Instant createdAt = request != null ? request.createdAt() : now;
        requests.put(certificate.requestId(), new RequestRecord(certificate.requestId(), certificate.customerUri(),
                certificate.owner(), RequestRecord.State.ISSUED, certificate.serial(), createdAt));
    }

    @Override
    public synchronized void recordPending(RequestRecord request) throws EnrollmentException {
        if (request.state() != RequestRecord.State.PENDING) {
            throw new IllegalArgumentException("recordPending takes a pending request, not " + request.state());
        }
        if (requests.containsKey(request.id())) {
            throw new EnrollmentException(ErrorCode.ENROLLMENT_FAILED, "request " + request.id() + " is already recorded");
        }
        requests.put(request.id(), request);
    }

    public synchronized boolean decide(String requestId, RequestRecord.State decision, String officer, Instant at) {
        if (decision != RequestRecord.State.APPROVED && decision != RequestRecord.State.DENIED) {
            throw new IllegalArgumentException("a decision is APPROVED or DENIED, not " + decision);
        }
        if (Objects.requireNonNull(officer, "officer").isBlank()) {
            throw new IllegalArgumentException("a decision names the officer who took it");
        }
        Objects.requireNonNull(at, "at");
        RequestRecord request = requests.get(requestId);
        if (request == null || request.state() != RequestRecord.State.PENDING) {
            return false;
        }
        requests.put(requestId, new RequestRecord(request.id(), request.customerUri(), request.owner(), decision, null,
                request.createdAt(), request.submitted(), officer, at));
        return true;
    }

    public synchronized List<RequestRecord> findPending(String customerUri, Instant after, String afterId, int limit) {
        Comparator<RequestRecord> order = Comparator.comparing(RequestRecord::createdAt).thenComparing(RequestRecord::id);
        return requests.values().stream()
                .filter(r -> r.state() == RequestRecord.State.PENDING)
                .filter(r -> customerUri == null || r.customerUri().equals(customerUri))
                .filter(r -> after == null || r.createdAt().isAfter(after)
                        || r.createdAt().equals(after) && afterId != null && r.id().compareTo(afterId) > 0)
                .sorted(order).limit(checkLimit(limit)).toList();
    }

    public synchronized List<CertificateRecord> findUsable(String customerUri, String owner, String profile, Instant now,
                                                           int limit) {
        checkLimit(limit);
        return certificates.values().stream()
                .filter(r -> r.customerUri().equals(customerUri) && r.owner().equals(owner) && r.profile().equals(profile))
                .filter(r -> r.state() == CertificateState.VALID && r.notAfter().isAfter(now))
                .sorted(Comparator.comparing(CertificateRecord::notAfter).thenComparing(CertificateRecord::serial).reversed())
                .limit(limit).toList();
    }

    public synchronized List<RequestRecord> findWaiting(String customerUri, String owner, int limit) {
        return requests.values().stream()
                .filter(r -> r.state() == RequestRecord.State.PENDING || r.state() == RequestRecord.State.APPROVED)
                .filter(r -> r.customerUri().equals(customerUri) && r.owner().equals(owner))
                .sorted(Comparator.comparing(RequestRecord::createdAt).thenComparing(RequestRecord::id).reversed())
                .limit(checkLimit(limit)).toList();
    }

    @Override
    public synchronized Optional<RequestRecord> findRequest(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    @Override
    public synchronized Optional<CertificateRecord> find(BigInteger serial) {
        return Optional.ofNullable(certificates.get(serial));
    }

    @Override
    public synchronized List<CertificateRecord> findByOwner(String customerUri, String owner) {
        return certificates.values().stream()
                .filter(r -> r.customerUri().equals(customerUri) && r.owner().equals(owner))
                .sorted(newestFirst()).toList();
    }

    @Override
    public synchronized boolean revoke(BigInteger serial, RevocationReason reason, Instant at) {
        CertificateRecord record = certificates.get(serial);
        if (record == null || record.state() != CertificateState.VALID) {
            return false;
        }
        certificates.put(serial, withState(record, Objects.requireNonNull(reason, "reason"),
                Objects.requireNonNull(at, "at"), record.reportedStatus()));
        return true;
    }

    /** Streams a snapshot taken under the lock, in serial order; the sink runs outside the lock. */
    @Override
    public void forEachRevoked(Consumer<CertificateRecord> sink) {
        List<CertificateRecord> revoked;
        synchronized (this) {
            revoked = new ArrayList<>();
            for (CertificateRecord record : certificates.values()) {
                if (record.state() == CertificateState.REVOKED) {
                    revoked.add(record);
                }
            }
        }
        revoked.forEach(sink);
    }

    @Override
    public synchronized void recordStatus(BigInteger serial, ReportedStatus status, Instant at) throws EnrollmentException {
        CertificateRecord record = certificates.get(serial);
        if (record == null) {
            throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "no certificate has this serial");
        }
        certificates.put(serial, withState(record, record.revocationReason(), record.revokedAt(),
                Objects.requireNonNull(status, "status")));
    }

    @Override
    public synchronized Person sync(Person person) throws EnrollmentException {
        Person existing = persons.get(person.principal());
        if (existing != null && !existing.customerUri().equals(person.customerUri())) {
            throw new EnrollmentException(ErrorCode.PERSON_MISMATCH, "the principal belongs to a person of another customer");
        }
        String email = person.email().toLowerCase(Locale.ROOT);
        // one person per e-mail address: an index, not a scan of every person (benchmarks run this per enrollment)
        String holder = principalsByEmail.get(email);
        if (holder != null && !holder.equals(person.principal())) {
            Person other = persons.get(holder);
            if (!other.customerUri().equals(person.customerUri())) {
                throw new EnrollmentException(ErrorCode.PERSON_MISMATCH, "the e-mail belongs to a person of another customer");
            }
            persons.remove(holder); // the account was renamed: the e-mail moves with the person
        }
        if (existing != null) {
            principalsByEmail.remove(existing.email().toLowerCase(Locale.ROOT), person.principal());
        }
        persons.put(person.principal(), person);
        principalsByEmail.put(email, person.principal());
        return person;
    }

    @Override
    public synchronized Optional<Person> find(String customerUri, String principal) {
        return Optional.ofNullable(persons.get(principal)).filter(p -> p.customerUri().equals(customerUri));
    }

    /** How many certificates are recorded, for tests. */
    public synchronized int size() {
        return certificates.size();
    }

    /** The most rows one query answers, as in the JDBC store. */
    public static final int MAX_LIMIT = 1000;

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }

    private static Comparator<CertificateRecord> newestFirst() {
        return Comparator.comparing(CertificateRecord::notBefore).thenComparing(CertificateRecord::serial).reversed();
    }

    private static CertificateRecord withState(CertificateRecord r, RevocationReason reason, Instant revokedAt,
                                               ReportedStatus status) {
        return new CertificateRecord(r.serial(), r.customerUri(), r.owner(), r.email(), r.requestId(), r.profile(), r.der(),
                r.notBefore(), r.notAfter(), reason == null ? CertificateState.VALID : CertificateState.REVOKED, reason,
                revokedAt, status);
    }
}
