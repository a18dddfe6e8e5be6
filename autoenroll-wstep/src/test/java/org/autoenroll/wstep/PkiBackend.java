package org.autoenroll.wstep;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The CES tests' enrollment side: signs with {@link TestPki}, pends template NeedsApproval until
 * {@link #approve} and refuses template Forbidden, as the pipeline would; keeps what it was asked.
 */
final class PkiBackend implements CesBackend {
    final TestPki pki;
    final List<EnrollmentRequest> requests = new ArrayList<>();
    private final Map<String, EnrollmentRequest> pending = new HashMap<>();
    private final Map<String, IssuedCertificate> issued = new HashMap<>();
    private final AtomicLong serials = new AtomicLong(100);

    PkiBackend(TestPki pki) {
        this.pki = pki;
    }

    @Override
    public synchronized EnrollmentResult enroll(AuthenticatedPrincipal caller, EnrollmentRequest request) throws EnrollmentException {
        requests.add(request);
        if ("Forbidden".equals(request.template())) {
            throw new EnrollmentException(ErrorCode.TEMPLATE_DENIED, "the caller has no enroll right on Forbidden");
        }
        String id = UUID.randomUUID().toString();
        if ("NeedsApproval".equals(request.template())) {
            pending.put(id, request);
            return EnrollmentResult.pending(id);
        }
        IssuedCertificate certificate = sign(request);
        issued.put(id, certificate);
        return EnrollmentResult.issued(id, certificate);
    }

    @Override
    public synchronized EnrollmentResult collect(AuthenticatedPrincipal caller, String requestId) throws EnrollmentException {
        if (issued.containsKey(requestId)) {
            return EnrollmentResult.issued(requestId, issued.get(requestId));
        }
        if (pending.containsKey(requestId)) {
            return EnrollmentResult.pending(requestId);
        }
        throw new EnrollmentException(ErrorCode.REQUEST_NOT_FOUND, "no request of the caller has this id");
    }

    @Override
    public Optional<String> mailOf(AuthenticatedPrincipal caller, String customerUri) {
        return Optional.of(caller.name() + "@example.com");
    }

    synchronized void approve(String requestId) throws EnrollmentException {
        issued.put(requestId, sign(pending.remove(requestId)));
    }

    synchronized String onlyPendingId() {
        return pending.keySet().iterator().next();
    }

    private IssuedCertificate sign(EnrollmentRequest request) throws EnrollmentException {
        try (PEMParser parser = new PEMParser(new java.io.StringReader(request.csrPem()))) {
            PKCS10CertificationRequest csr = (PKCS10CertificationRequest) parser.readObject();
            X509Certificate certificate = pki.issue(new JcaPKCS10CertificationRequest(csr).getPublicKey(),
                    csr.getSubject().toString(), BigInteger.valueOf(serials.incrementAndGet()));
            return new IssuedCertificate(certificate.getSerialNumber(), certificate.getEncoded(),
                    List.of(pki.caCertificate.getEncoded()), certificate.getSubjectX500Principal().getName(),
                    certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        } catch (IOException | java.security.GeneralSecurityException | ClassCastException e) {
            throw new EnrollmentException(ErrorCode.INVALID_CSR, "the test CA cannot read the CSR");
        }
    }
}
