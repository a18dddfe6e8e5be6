package org.autoenroll.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.RevocationReason;

/**
 * Signed OCSP answers kept for reuse (RFC 5019 2.2: pre-produced responses), so that a GET about a
 * certificate is signed once and then served from memory. Only answers to a request with one
 * CertID of this CA and no nonce are kept; the key is that CertID (hash algorithm and serial: its
 * issuer hashes are this CA's, or it would not be cached), never the request bytes, which a client
 * can vary freely. Only serials the store knows are kept (good or revoked), so that unknown serials
 * cannot churn the cache.
 *
 * <p>The rule: an answer is served again only while (1) the certificate's status read from the
 * store for this request is the one the answer states (state, revocation time and reason): a
 * revocation made by this instance or by any other sharing the database shows in the very next
 * answer; (2) it is younger than half its validity (thisUpdate + validity / 2), so that it is
 * re-signed long before its nextUpdate; (3) the key that signed it still signs (a renewed delegated
 * signer re-signs everything).
 *
 * <p>Bounded: at most {@code maxEntries} answers, least recently used first out. An answer of a
 * CA-signed EC P-256 responder is about 700 bytes (the CA certificate is in it), about 900 bytes
 * with the entry's overhead: 10,000 entries (the default) hold about 9 MB; RSA-2048, about 1.6 KB
 * each, 16 MB.
 *
 * <p>Thread-safe: one lock around a small access-ordered map.
 */
final class OcspResponseCache {
    /** The default bound on cached answers. */
    static final int DEFAULT_MAX_ENTRIES = 10_000;

    /** A CertID of this CA: the hash algorithm of its issuer hashes and the serial. */
    record Key(String hashAlgorithmOid, BigInteger serial) {
        Key {
            Objects.requireNonNull(hashAlgorithmOid, "hashAlgorithmOid");
            Objects.requireNonNull(serial, "serial");
        }
    }

    /** What an answer states about a certificate; two equal statuses give the same answer. */
    record Status(CertificateState state, Instant revokedAt, RevocationReason reason) {
        static Status of(CertificateRecord record) {
            boolean revoked = record.state() == CertificateState.REVOKED;
            // every state but REVOKED is answered good: they are one status here
            return new Status(revoked ? CertificateState.REVOKED : CertificateState.VALID,
                    revoked ? record.revokedAt() : null, revoked ? record.revocationReason() : null);
        }
    }

    private record Entry(byte[] response, Status status, Instant reuseUntil, OcspSigningKey signer) {
    }

    private final int maxEntries;
    private final Map<Key, Entry> entries;

    OcspResponseCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > OcspResponseCache.this.maxEntries;
            }
        };
    }

    /** The cached answer when the rule allows it (see the class comment), else null. */
    synchronized byte[] get(Key key, Status status, Instant now, OcspSigningKey signer) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!entry.status().equals(status) || !now.isBefore(entry.reuseUntil()) || entry.signer() != signer) {
            entries.remove(key);
            return null;
        }
        return entry.response();
    }

    /** Keeps {@code response} (never modified afterwards) until {@code reuseUntil} at the latest. */
    synchronized void put(Key key, Status status, byte[] response, Instant reuseUntil, OcspSigningKey signer) {
        if (maxEntries > 0) {
            entries.put(key, new Entry(response, status, reuseUntil, signer));
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
