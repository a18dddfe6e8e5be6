package org.autoenroll.server.http;

import java.io.InputStream;

/**
 * What the server publishes about its CA to anyone: the CA certificate (AIA caIssuers), the CRL
 * and the delta CRL (CRL distribution point, FreshestCRL), and OCSP answers (AIA ocsp).
 * Implementations are thread-safe.
 */
public interface CaPublication {
    /** The issuing CA's certificate, DER. */
    byte[] caCertificate();

    /**
     * The current full CRL, DER, signed by the CA, as a stream over the cached CRL (tens of
     * megabytes at a million entries: never copied per request). It supports mark and reset;
     * {@code available()} is its length.
     */
    InputStream openCrl() throws Exception;

    /** The current delta CRL against the last full CRL, as {@link #openCrl()}. */
    InputStream openDeltaCrl() throws Exception;

    /** An OCSP response (RFC 6960) for a DER request; never throws: errors are OCSP response statuses. */
    byte[] ocsp(byte[] request);

    /** An OCSP response for the GET form {@code /ocsp/<base64 request>}, the path still URL-encoded. */
    byte[] ocspGet(String encodedRequest);
}
