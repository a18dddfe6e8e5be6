package org.autoenroll.ca;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the delegated OCSP signing key and certificate in {@link CaSettings#ocspSignerKeystorePath()}
 * (PKCS#12, the CA keystore's password): loads it, or issues a new one from the CA when it is
 * missing, not issued by this CA's key, or has less than a third of its lifetime left. The
 * certificate carries id-pkix-ocsp-nocheck, so it is short-lived ({@link #LIFETIME}).
 *
 * <p>Thread-safe: {@link #current()} renews under a lock; readers see the last key published.
 */
final class DelegatedOcspSigner {
    private static final Logger LOG = LoggerFactory.getLogger(DelegatedOcspSigner.class);
    static final Duration LIFETIME = Duration.ofDays(30);

    private final BuiltInCa ca;
    private final Clock clock;
    private final Path path;
    private final Object lock = new Object();
    private volatile OcspSigningKey current;

    private DelegatedOcspSigner(BuiltInCa ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
        this.path = ca.settings().ocspSignerKeystorePath();
    }

    static DelegatedOcspSigner open(BuiltInCa ca, Clock clock) throws CaStartupException {
        DelegatedOcspSigner signer = new DelegatedOcspSigner(ca, clock);
        signer.current = signer.loadOrIssue();
        return signer;
    }

    /** The signing key, renewed first when due; a failed renewal keeps the old one while it is valid. */
    OcspSigningKey current() throws CaStartupException {
        OcspSigningKey key = current;
        if (!dueForRenewal(key)) {
            return key;
        }
        synchronized (lock) {
            key = current;
            if (dueForRenewal(key)) {
                try {
                    key = issueAndStore(true);
                    current = key;
                } catch (CaStartupException e) {
                    if (!clock.instant().isBefore(key.notAfter())) {
                        throw e;
                    }
                    LOG.warn("renewing the delegated OCSP signer failed; the current one stays in use", e);
                }
            }
            return key;
        }
    }

    private boolean dueForRenewal(OcspSigningKey key) {
        Instant now = clock.instant();
        Duration lifetime = Duration.between(key.notBefore(), key.notAfter());
        return !now.isBefore(key.notAfter().minus(lifetime.dividedBy(3)));
    }

    private OcspSigningKey loadOrIssue() throws CaStartupException {
        if (Files.exists(path)) {
            char[] password = password();
            try {
                CaKeystore.Entry entry = CaKeystore.load(path, password);
                OcspSigningKey key = toKey(entry);
                if (issuedByCa(entry.certificate()) && !dueForRenewal(key)) {
                    return key;
                }
            } finally {
                CaKeystore.clear(password);
            }
        }
        return issueAndStore(Files.exists(path));
    }

    private boolean issuedByCa(X509Certificate certificate) {
        try {
            certificate.verify(ca.caCertificate().getPublicKey());
            return certificate.getIssuerX500Principal().equals(ca.caCertificate().getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private OcspSigningKey issueAndStore(boolean replace) throws CaStartupException {
        char[] password = password();
        try {
            KeyPair keyPair = generateKeyPair();
            X509Certificate certificate = ca.issueOcspSigningCertificate(keyPair.getPublic(), LIFETIME);
            CaKeystore.Entry entry = new CaKeystore.Entry(keyPair.getPrivate(), certificate);
            if (replace) {
                CaKeystore.replace(path, password, entry);
            } else if (!CaKeystore.create(path, password, entry)) {
                // another instance created it first: use theirs, so both sign with one certificate
                entry = CaKeystore.load(path, password);
            }
            LOG.info("delegated OCSP signer {} valid until {} in {}", entry.certificate().getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT),
                    entry.certificate().getNotAfter().toInstant(), path);
            return toKey(entry);
        } catch (GeneralSecurityException e) {
            throw new CaStartupException(CaStartupException.Reason.CREATION_FAILED,
                    "cannot issue the delegated OCSP signing certificate: " + e.getMessage(), e);
        } finally {
            CaKeystore.clear(password);
        }
    }

    private KeyPair generateKeyPair() throws GeneralSecurityException {
        CaKeyType type = ca.keyType();
        KeyPairGenerator generator = KeyPairGenerator.getInstance(type.algorithm(), ca.provider());
        if (type.curve() != null) {
            generator.initialize(new ECGenParameterSpec(type.curve()), ca.random());
        } else {
            generator.initialize(type.bits(), ca.random());
        }
        return generator.generateKeyPair();
    }

    private OcspSigningKey toKey(CaKeystore.Entry entry) throws CaStartupException {
        try {
            return new OcspSigningKey(entry.key(), entry.certificate(), ca.provider(), ca.random(), true);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "the OCSP signer in " + path + " is unusable: " + e.getMessage(), e);
        }
    }

    private char[] password() throws CaStartupException {
        try {
            return ca.settings().keystorePassword().resolve();
        } catch (IOException e) {
            throw new CaStartupException(CaStartupException.Reason.PASSWORD_UNAVAILABLE,
                    "cannot read the keystore password from " + ca.settings().keystorePassword(), e);
        }
    }
}
