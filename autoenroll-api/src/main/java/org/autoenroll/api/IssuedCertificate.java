package org.autoenroll.api;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A certificate a {@link CertificateSigner} made, before it is recorded.
 *
 * @param serial the certificate's serial number
 * @param certificate its DER encoding
 * @param chain the issuing CA certificates in DER, nearest first, without the certificate itself
 * @param subject the subject DN in RFC 4514 form
 *
 * @since 0.1
 */
public record IssuedCertificate(BigInteger serial, byte[] certificate, List<byte[]> chain, String subject,
                                Instant notBefore, Instant notAfter) {
    public IssuedCertificate {
        Objects.requireNonNull(serial, "serial");
        certificate = certificate.clone();
        chain = chain.stream().map(byte[]::clone).toList();
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    @Override
    public byte[] certificate() {
        return certificate.clone();
    }
}
