package org.autoenroll.server;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.SoapElement;
import org.autoenroll.wstep.soap.SoapEnvelope;
import org.autoenroll.wstep.soap.SoapReader;

/**
 * The tests' SOAP client: posts a message shaped as Windows or cepces sends it
 * ({@link org.autoenroll.wstep.testkit.SoapRequests}) over the harness' HTTPS client, with a
 * Negotiate token when a user is given, and reads the answer back with the server's own reader.
 */
final class SoapClient {
    private final ServerHarness harness;

    SoapClient(ServerHarness harness) {
        this.harness = harness;
    }

    HttpResponse<byte[]> post(String path, String user, byte[] message) {
        HttpRequest request = harness.request(path, user).header("Content-Type", "application/soap+xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build();
        try {
            return harness.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts with this Negotiate token (one made by hand: channel bindings, delegation). */
    HttpResponse<byte[]> postWithToken(String path, byte[] token, byte[] message) {
        HttpRequest request = harness.request(path, null).header("Authorization", "Negotiate " + Base64.getEncoder().encodeToString(token))
                .header("Content-Type", "application/soap+xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build();
        try {
            return harness.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static SoapEnvelope envelope(HttpResponse<byte[]> response) throws MalformedSoapException {
        return new SoapReader().readEnvelope(response.body());
    }

    /** The RequestSecurityTokenResponse of an answer. */
    static SoapElement rstr(HttpResponse<byte[]> response) throws MalformedSoapException {
        return envelope(response).body().child(Namespaces.WST, "RequestSecurityTokenResponse").orElseThrow(
                () -> new AssertionError("no RSTR: " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)));
    }

    static byte[] issuedCertificate(SoapElement rstr) {
        return Base64.getDecoder().decode(rstr.child(Namespaces.WST, "RequestedSecurityToken").orElseThrow()
                .child(Namespaces.WSSE, "BinarySecurityToken").orElseThrow().trimmedText());
    }

    /** {@code [our code, HRESULT]} of a CES fault. */
    static String[] fault(HttpResponse<byte[]> response) throws MalformedSoapException {
        SoapElement fault = envelope(response).body();
        String reason = fault.child(Namespaces.SOAP, "Reason").orElseThrow().childText(Namespaces.SOAP, "Text").orElseThrow();
        String hresult = fault.child(Namespaces.SOAP, "Detail").flatMap(d -> d.child(Namespaces.WSTEP, "CertificateEnrollmentWSDetail"))
                .flatMap(d -> d.childText(Namespaces.WSTEP, "ErrorCode")).orElse(null);
        return new String[] {reason.substring(0, reason.indexOf(':')), hresult};
    }
}
