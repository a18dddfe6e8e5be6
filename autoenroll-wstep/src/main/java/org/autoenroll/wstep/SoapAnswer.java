package org.autoenroll.wstep;

import java.util.Objects;

/**
 * What a SOAP endpoint sends back: the HTTP status (200, or 500 for a fault as SOAP 1.2 over
 * HTTP requires), and the envelope in UTF-8 with content type {@link #CONTENT_TYPE}.
 *
 * @param status the HTTP status
 * @param body the SOAP envelope
 */
public record SoapAnswer(int status, byte[] body) {
    public static final String CONTENT_TYPE = "application/soap+xml; charset=utf-8";

    public SoapAnswer {
        Objects.requireNonNull(body, "body");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public boolean isFault() {
        return status == 500;
    }
}
