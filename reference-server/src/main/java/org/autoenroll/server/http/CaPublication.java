package org.autoenroll.server.http;

/**
 * What the server publishes about its CA over plain GETs: the CA certificate (AIA caIssuers) and
 * the current CRL (CRL distribution point). Implementations are thread-safe.
 */
public interface CaPublication {
    /** The issuing CA's certificate, DER. */
    byte[] caCertificate();

    /** The current CRL, DER, signed by the CA. */
    byte[] currentCrl() throws Exception;
}
