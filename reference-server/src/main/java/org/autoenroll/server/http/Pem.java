package org.autoenroll.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PEM encoding of certificates for JSON answers. Stateless. */
final class Pem {
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    static String certificate(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + ENCODER.encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }
}
