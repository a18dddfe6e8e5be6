package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import java.math.BigInteger;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * Authenticates a caller by its TLS client certificate, for key-based renewal: the TLS layer has
 * checked the chain to our CA (and the key's possession); here the certificate must be one we
 * issued, byte for byte as recorded, valid now and not revoked. The caller is the certificate's
 * recorded owner, allowed to renew that certificate only (the CES endpoint enforces that with the
 * serial). No certificate is {@link ErrorCode#AUTHENTICATION_REQUIRED} (42); any other failure
 * {@link ErrorCode#AUTHENTICATION_ERROR} (37). Thread-safe.
 */
final class ClientCertificateAuthentication {
    /** The caller and the serial of the certificate it authenticated with. */
    record Caller(AuthenticatedPrincipal principal, BigInteger serial) {
    }

    private final CertificateStore certificates;
    private final Clock clock;

    ClientCertificateAuthentication(CertificateStore certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
    }

    Caller authenticate(HttpServerExchange exchange) throws EnrollmentException {
        SSLSessionInfo tls = exchange.getConnection().getSslSessionInfo();
        Certificate[] chain;
        try {
            chain = tls == null ? null : tls.getPeerCertificates();
        } catch (SSLPeerUnverifiedException | io.undertow.server.RenegotiationRequiredException | RuntimeException e) {
            chain = null;
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_REQUIRED, "this endpoint needs a TLS client certificate");
        }
        CertificateRecord record = certificates.find(certificate.getSerialNumber()).orElseThrow(() -> new EnrollmentException(
                ErrorCode.AUTHENTICATION_ERROR, "the client certificate was not issued here"));
        try {
            if (!Arrays.equals(record.der(), certificate.getEncoded())) {
                throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "the client certificate is not the one issued here");
            }
        } catch (CertificateEncodingException e) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "the client certificate does not encode");
        }
        if (record.state() != CertificateState.VALID) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "the client certificate is revoked");
        }
        if (!clock.instant().isBefore(record.notAfter()) || clock.instant().isBefore(record.notBefore())) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "the client certificate is not valid now");
        }
        int at = record.owner().lastIndexOf('@');
        return new Caller(AuthenticatedPrincipal.of(record.owner().substring(0, at), record.owner().substring(at + 1), null),
                record.serial());
    }
}
