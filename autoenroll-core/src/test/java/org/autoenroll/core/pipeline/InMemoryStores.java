package org.autoenroll.core.pipeline;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/** A certificate and person store in memory, for pipeline tests; the JDBC store is tested in autoenroll-ca. */
final class InMemoryStores implements CertificateStore, PersonStore {
    final Map<BigInteger, CertificateRecord> certificates = new LinkedHashMap<>();
    final Map<String, RequestRecord> requests = new LinkedHashMap<>();
    final Map<String, Person> persons = new LinkedHashMap<>();

    @Override
    public synchronized void recordIssued(CertificateRecord certificate, Optional<BigInteger> supersedes) throws EnrollmentException {
        if (supersedes.isPresent()) {
            CertificateRecord old = certificates.get(supersedes.get());
            if (old == null || old.state() != CertificateState.VALID) {
                throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "superseded certificate not valid");
            }
            certificates.put(old.serial(), revoked(old, RevocationReason.SUPERSEDED, certificate.notBefore()));
        }
        certificates.put(certificate.serial(), certificate);
        RequestRecord waiting = requests.get(certificate.requestId());
        if (waiting != null && (waiting.state() == RequestRecord.State.PENDING
                || waiting.state() == RequestRecord.State.APPROVED)) {
            requests.put(waiting.id(), new RequestRecord(waiting.id(), waiting.customerUri(), waiting.owner(),
                    RequestRecord.State.ISSUED, certificate.serial(), waiting.createdAt(), waiting.submitted(),
                    waiting.decidedBy(), waiting.decidedAt()));
        } else {
            requests.put(certificate.requestId(), new RequestRecord(certificate.requestId(), certificate.customerUri(),
                    certificate.owner(), RequestRecord.State.ISSUED, certificate.serial(), certificate.notBefore()));
        }
    }

    @Override
    public synchronized boolean decide(String requestId, RequestRecord.State decision, String officer, Instant at) {
        RequestRecord r = requests.get(requestId);
        if (r == null || r.state() != RequestRecord.State.PENDING) {
            return false;
        }
        requests.put(requestId, new RequestRecord(r.id(), r.customerUri(), r.owner(), decision, null, r.createdAt(),
                r.submitted(), officer, at));
        return true;
    }

    @Override
    public synchronized List<RequestRecord> findPending(String customerUri, Instant after, String afterId, int limit) {
        Comparator<RequestRecord> order = Comparator.comparing(RequestRecord::createdAt).thenComparing(RequestRecord::id);
        return requests.values().stream()
                .filter(r -> r.state() == RequestRecord.State.PENDING)
                .filter(r -> customerUri == null || r.customerUri().equals(customerUri))
                .filter(r -> after == null || r.createdAt().isAfter(after)
                        || (afterId != null && r.createdAt().equals(after) && r.id().compareTo(afterId) > 0))
                .sorted(order).limit(limit).toList();
    }

    @Override
    public synchronized List<CertificateRecord> findUsable(String customerUri, String owner, String profile, Instant now,
                                                           int limit) {
        return findByOwner(customerUri, owner).stream()
                .filter(r -> profile.equals(r.profile()) && r.state() == CertificateState.VALID
                        && r.notAfter().isAfter(now))
                .sorted(Comparator.comparing(CertificateRecord::notAfter).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized List<RequestRecord> findWaiting(String customerUri, String owner, int limit) {
        return requests.values().stream()
                .filter(r -> r.customerUri().equals(customerUri) && r.owner().equals(owner))
                .filter(r -> r.state() == RequestRecord.State.PENDING || r.state() == RequestRecord.State.APPROVED)
                .sorted(Comparator.comparing(RequestRecord::createdAt).thenComparing(RequestRecord::id).reversed())
                .limit(limit).toList();
    }

    private static CertificateRecord revoked(CertificateRecord r, RevocationReason reason, Instant at) {
        return new CertificateRecord(r.serial(), r.customerUri(), r.owner(), r.email(), r.requestId(), r.profile(), r.der(),
                r.notBefore(), r.notAfter(), CertificateState.REVOKED, reason, at, r.reportedStatus());
    }

    @Override
    public synchronized void recordPending(RequestRecord request) {
        requests.put(request.id(), request);
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
        List<CertificateRecord> result = new ArrayList<>();
        for (CertificateRecord r : certificates.values()) {
            if (r.customerUri().equals(customerUri) && r.owner().equals(owner)) {
                result.add(r);
            }
        }
        result.sort(Comparator.comparing(CertificateRecord::notBefore).reversed());
        return result;
    }

    @Override
    public synchronized boolean revoke(BigInteger serial, RevocationReason reason, Instant at) {
        CertificateRecord r = certificates.get(serial);
        if (r == null || r.state() != CertificateState.VALID) {
            return false;
        }
        certificates.put(serial, revoked(r, reason, at));
        return true;
    }

    @Override
    public synchronized void forEachRevoked(Consumer<CertificateRecord> sink) {
        certificates.values().stream().filter(r -> r.state() == CertificateState.REVOKED).forEach(sink);
    }

    @Override
    public synchronized void recordStatus(BigInteger serial, ReportedStatus status, Instant at) {
        CertificateRecord r = certificates.get(serial);
        certificates.put(serial, new CertificateRecord(r.serial(), r.customerUri(), r.owner(), r.email(), r.requestId(),
                r.profile(), r.der(), r.notBefore(), r.notAfter(), r.state(), r.revocationReason(), r.revokedAt(), status));
    }

    @Override
    public synchronized Person sync(Person person) throws EnrollmentException {
        Person existing = persons.get(person.principal());
        if (existing != null && !existing.customerUri().equals(person.customerUri())) {
            throw new EnrollmentException(ErrorCode.PERSON_MISMATCH, "person of another customer");
        }
        persons.put(person.principal(), person);
        return person;
    }

    @Override
    public synchronized Optional<Person> find(String customerUri, String principal) {
        return Optional.ofNullable(persons.get(principal)).filter(p -> p.customerUri().equals(customerUri));
    }
}
