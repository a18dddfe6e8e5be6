package org.autoenroll.wstep;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.internal.Serials;
import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.SoapReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Certificate Enrollment Web Service (MS-WSTEP) of one endpoint: Issue and Renew run the
 * request through the enrollment pipeline (the template named in the AdditionalContext, else the
 * CSR's template extension, which the pipeline reads); QueryTokenStatus collects a pending
 * request. A renewal-only endpoint may only renew: the request must be signed with the key of the
 * certificate it renews (key-based renewal). A caller authenticated by a TLS client certificate
 * renews that certificate and nothing else: its request is either signed with that certificate's
 * key, or a bare PKCS#10 (as cepces sends), the handshake having proved the key. Every answer is a SOAP 1.2
 * envelope; refusals are faults with our code and the matching HRESULT. Thread-safe.
 */
public final class CesService {
    private static final Logger LOG = LoggerFactory.getLogger(CesService.class);

    private final CesSettings settings;
    private final CesBackend backend;
    private final RequestIds ids;
    private final SoapReader reader;

    public CesService(CesSettings settings, CesBackend backend, RequestIds ids, SoapReader reader) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    public CesSettings settings() {
        return settings;
    }

    /**
     * Answers one RequestSecurityToken message.
     *
     * @param caller the authenticated caller
     * @param clientCertificate the serial of the TLS client certificate that authenticated the
     *     caller, when that is how it did; it then may renew that certificate only
     */
    public SoapAnswer requestSecurityToken(AuthenticatedPrincipal caller, byte[] message, Optional<BigInteger> clientCertificate) {
        RstRequest request;
        try {
            request = RstRequest.read(reader.readEnvelope(message));
        } catch (MalformedSoapException e) {
            LOG.info("RequestSecurityToken of {} malformed: {}", caller, e.getMessage());
            return Envelopes.fault(e, null);
        }
        String wireId = request.requestId().map(String::valueOf).orElse(null);
        try {
            EnrollmentResult result = request.type() == RstRequest.Type.QUERY_TOKEN_STATUS
                    ? query(caller, request.requestId().orElseThrow())
                    : issue(caller, request, clientCertificate);
            long wire = ids.toWire(result.requestId());
            LOG.info("RequestSecurityToken {} of {}: {} request {} (RequestID {})", request.type(), caller, result.status(),
                    result.requestId(), wire);
            return Envelopes.answer(RstRequest.RESPONSE_ACTION, request.messageId(), xml -> {
                if (result.status() == EnrollmentResult.Status.ISSUED) {
                    RstrWriter.issued(xml, result.certificate().orElseThrow(), wire);
                } else {
                    RstrWriter.pending(xml, settings.uri(), wire);
                }
            });
        } catch (EnrollmentException e) {
            LOG.info("RequestSecurityToken {} of {} refused: {} ({}): {}", request.type(), caller, e.code(), e.code().code(),
                    e.detail());
            return Envelopes.fault(e, request.messageId(), true, wireId);
        }
    }

    private EnrollmentResult query(AuthenticatedPrincipal caller, long wireId) throws EnrollmentException {
        String requestId = ids.fromWire(wireId).orElseThrow(() -> new EnrollmentException(ErrorCode.REQUEST_NOT_FOUND,
                "no request of the caller has RequestID " + wireId));
        return backend.collect(caller, requestId);
    }

    private EnrollmentResult issue(AuthenticatedPrincipal caller, RstRequest request, Optional<BigInteger> clientCertificate)
            throws EnrollmentException {
        RequestTokens.Decoded decoded = RequestTokens.decode(request.tokenValueType(), request.token());
        Optional<BigInteger> renewing = decoded.renewing();
        if (request.type() == RstRequest.Type.RENEW && renewing.isEmpty()) {
            throw new EnrollmentException(ErrorCode.INVALID_CSR,
                    "a Renew request must be signed with the key of the certificate it renews");
        }
        if (clientCertificate.isPresent()) {
            if (renewing.isPresent() && !renewing.equals(clientCertificate)) {
                throw new EnrollmentException(ErrorCode.RENEWAL_ONLY, "a client certificate authenticates only the renewal "
                        + "of itself; this request is signed for serial " + Serials.format(renewing.get()));
            }
            // the TLS handshake proved possession of the certificate's key: a bare PKCS#10 (cepces) renews it too
            renewing = clientCertificate;
        }
        if (settings.renewalOnly() && renewing.isEmpty()) {
            throw new EnrollmentException(ErrorCode.RENEWAL_ONLY, "this CES endpoint is in renewal-only mode: sign the "
                    + "request with the key of the certificate it renews");
        }
        String email = caller.name().endsWith("$") ? null : backend.mailOf(caller, settings.customerUri()).orElse(null);
        EnrollmentRequest enrollment = new EnrollmentRequest(settings.customerUri(), null, email, null, pem(decoded),
                renewing.map(serial -> serial.toString(16)).orElse(null), request.template().orElse(null));
        return backend.enroll(caller, enrollment);
    }

    private static String pem(RequestTokens.Decoded decoded) throws EnrollmentException {
        try {
            return "-----BEGIN CERTIFICATE REQUEST-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(decoded.csr().getEncoded())
                    + "\n-----END CERTIFICATE REQUEST-----\n";
        } catch (IOException e) {
            throw new EnrollmentException(ErrorCode.INVALID_CSR, "the request does not re-encode");
        }
    }
}
