package org.autoenroll.core.ca;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SigningRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several CAs behind one {@link CertificateSigner}, as Windows clients use the enrollment services
 * of a forest (seed 002): the CAs that offer the request's template are tried in random order
 * (load balancing), a CA whose own certificate is revoked is skipped, and a CA that fails with
 * {@link ErrorCode#CERTIFICATE_ISSUANCE_FAILED} (down, unreachable) passes the request to the next.
 * Only when every one fails is the request refused with 25. Thread-safe.
 */
public final class CaPool implements CertificateSigner {
    private static final Logger LOG = LoggerFactory.getLogger(CaPool.class);

    private final List<OfferingCa> cas;
    private final Random random;

    public CaPool(List<OfferingCa> cas) {
        this(cas, new Random());
    }

    /** @param random the order in which CAs are tried; injected so that tests can fix it */
    public CaPool(List<OfferingCa> cas, Random random) {
        this.cas = List.copyOf(cas);
        if (this.cas.isEmpty()) {
            throw new IllegalArgumentException("a CA pool needs at least one CA");
        }
        if (this.cas.stream().map(OfferingCa::name).distinct().count() != this.cas.size()) {
            throw new IllegalArgumentException("CA names must be unique in a pool");
        }
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Whether some CA offers {@code template}: the catalogue offers only such templates. */
    public boolean offers(String template) {
        return cas.stream().anyMatch(ca -> ca.offers(template));
    }

    public List<OfferingCa> cas() {
        return cas;
    }

    @Override
    public IssuedCertificate sign(SigningRequest request) throws EnrollmentException {
        List<OfferingCa> candidates = new ArrayList<>(cas.stream().filter(ca -> ca.offers(request.templateName())).toList());
        if (candidates.isEmpty()) {
            throw new EnrollmentException(ErrorCode.TEMPLATE_UNKNOWN, "no CA offers template " + request.templateName());
        }
        Collections.shuffle(candidates, random);
        List<String> failures = new ArrayList<>();
        for (OfferingCa ca : candidates) {
            if (isRevoked(ca)) {
                failures.add(ca.name() + ": its CA certificate is revoked");
                continue;
            }
            try {
                return ca.signer().sign(request);
            } catch (EnrollmentException e) {
                if (e.code() != ErrorCode.CERTIFICATE_ISSUANCE_FAILED) {
                    throw e;
                }
                LOG.warn("CA {} failed request {}, trying the next CA: {}", ca.name(), request.requestId(), e.detail());
                failures.add(ca.name() + ": " + e.detail());
            }
        }
        throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                "every CA offering template " + request.templateName() + " failed: " + String.join("; ", failures));
    }

    /** The chain of the first CA that is not revoked. */
    @Override
    public List<byte[]> caChain() {
        return cas.stream().filter(ca -> !isRevoked(ca)).findFirst().orElse(cas.get(0)).signer().caChain();
    }

    private static boolean isRevoked(OfferingCa ca) {
        List<byte[]> chain = ca.signer().caChain();
        if (chain.isEmpty()) {
            return false;
        }
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(chain.get(0)));
            return ca.revocation().isRevoked(certificate);
        } catch (CertificateException e) {
            LOG.warn("CA {}'s certificate does not parse; skipped", ca.name());
            return true;
        }
    }
}
