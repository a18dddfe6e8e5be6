package org.autoenroll.server.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SigningRequest;

/** A {@link CertificateSigner} that times each signing into {@link ServerMetrics}; otherwise the signer it wraps. Thread-safe. */
public final class TimedSigner implements CertificateSigner {
    private final CertificateSigner signer;
    private final ServerMetrics metrics;

    public TimedSigner(CertificateSigner signer, ServerMetrics metrics) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public IssuedCertificate sign(SigningRequest request) throws EnrollmentException {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            IssuedCertificate issued = signer.sign(request);
            ok = true;
            return issued;
        } finally {
            metrics.signed(Duration.ofNanos(System.nanoTime() - start), ok);
        }
    }

    @Override
    public List<byte[]> caChain() {
        return signer.caChain();
    }

    @Override
    public boolean signsWithHeldKey() {
        return signer.signsWithHeldKey();
    }
}
