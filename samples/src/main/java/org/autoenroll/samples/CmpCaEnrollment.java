package org.autoenroll.samples;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.cmp.CmpCertificateSigner;
import org.autoenroll.ca.cmp.CmpProtection;

/**
 * Sample: a CMP CA (EJBCA's CMP alias in RA mode, OpenSSL's CMP server, any RFC 4210 CA) signs in
 * place of the built-in CA. Give the signer to {@code EnrollmentService.builder().signer(...)}; the
 * pipeline is unchanged. The CA shares a secret with autoenroll for {@code reference} (EJBCA:
 * "HMAC" authentication module); the CA chain file is what issued certificates must chain to.
 */
public final class CmpCaEnrollment {
    private CmpCaEnrollment() {
    }

    /**
     * @param url the CMP endpoint, e.g. {@code https://ejbca.example.com/ejbca/publicweb/cmp/autoenroll}
     * @param secret {@code env:CMP_SECRET} or {@code file:/etc/autoenroll/cmp-secret}
     * @param caChainPem the issuing CA's certificate first, then its issuers
     */
    public static CertificateSigner signer(URI url, String reference, SecretRef secret, Path caChainPem)
            throws IOException, CertificateException {
        List<X509Certificate> chain;
        try (InputStream in = Files.newInputStream(caChainPem)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
        return CmpCertificateSigner.builder()
                .server(url)
                .protection(CmpProtection.sharedSecret(reference, secret))
                .requestType(CmpCertificateSigner.RequestType.P10CR) // the CA sees the client's own CSR
                .caChain(chain)
                .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30))
                .build();
    }
}
