package org.autoenroll.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.autoenroll.api.ErrorCode;

/**
 * The server's JSON API over HTTPS, each request with a new Negotiate token. Transport failures
 * become the client codes: 35 no connection, 41 the server's certificate not trusted, 34 no
 * certificate in time (enroll, collect), 40 no answer in time (the other exchanges), 36 a 5xx without an error body. A refusal with the protocol's error body is carried over
 * as the server gave it. A success must carry the server's AP-REP (mutual authentication), else
 * 37. Answers are bounded (1 MiB).
 */
final class ServerApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER = 1 << 20;

    /** An answer: status and JSON body. */
    record Answer(int status, JsonNode body) {
    }

    private final URI server;
    private final SpnegoToken tokens;
    private final HttpClient http;
    private final Duration timeout;

    ServerApi(ClientOptions options, SpnegoToken tokens) throws ClientFailure {
        this.server = options.server();
        this.tokens = tokens;
        this.timeout = Duration.ofSeconds(options.timeoutSeconds());
        // HTTP/1.1, as curl and Windows clients speak to the server (and its tests cover); Negotiate is per request anyway
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (options.caFile() != null) {
            builder.sslContext(trusting(options));
        }
        this.http = builder.build();
    }

    Answer get(String path) throws ClientFailure {
        return send(HttpRequest.newBuilder(server.resolve(path)).GET(), path);
    }

    Answer post(String path, Object body) throws ClientFailure {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new ClientFailure(ErrorCode.CREATE_REQUEST_FAILED, "cannot write the request: " + e.getMessage());
        }
        return send(HttpRequest.newBuilder(server.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)), path);
    }

    private Answer send(HttpRequest.Builder request, String path) throws ClientFailure {
        String token;
        SpnegoToken.Sent sent;
        try {
            sent = tokens.next();
            token = Base64.getEncoder().encodeToString(sent.token());
        } catch (KrbException e) {
            throw new ClientFailure(ErrorCode.AUTHENTICATION_ERROR, "cannot build the Negotiate token: " + e.getMessage());
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.timeout(timeout).header("Authorization", "Negotiate " + token)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new ClientFailure(ErrorCode.CONNECT_FAILED, server + " cannot be reached: " + e.getClass().getSimpleName());
        } catch (HttpTimeoutException e) {
            // the seed tells the two apart: no certificate in time (34), no answer to a plain exchange in time (40)
            boolean issuing = path.startsWith("/api/v1/enroll") || path.startsWith("/api/v1/requests/");
            throw new ClientFailure(issuing ? ErrorCode.CERTIFICATE_RESPONSE_TIMEOUT : ErrorCode.SYNC_RESPONSE_TIMEOUT,
                    path + " gave no answer in " + timeout.toSeconds() + " s");
        } catch (SSLHandshakeException e) {
            throw new ClientFailure(ErrorCode.SERVER_CERTIFICATE_NOT_TRUSTED, server + ": " + e.getMessage());
        } catch (SSLException e) {
            throw new ClientFailure(ErrorCode.CONNECT_FAILED, server + ": TLS failed: " + e.getMessage());
        } catch (IOException e) {
            throw new ClientFailure(ErrorCode.CONNECT_FAILED, server + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientFailure(ErrorCode.SYNC_RESPONSE_TIMEOUT, "interrupted");
        }
        JsonNode body;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_ANSWER + 1);
            if (bytes.length > MAX_ANSWER) {
                throw new ClientFailure(ErrorCode.SERVER_INTERNAL_ERROR, path + ": the answer is larger than " + MAX_ANSWER + " bytes");
            }
            body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ClientFailure(ErrorCode.SERVER_INTERNAL_ERROR, path + " answered " + response.statusCode() + " without JSON");
        }
        int status = response.statusCode();
        if (status == 200 || status == 202) {
            // mutual authentication: a certificate is only taken from the server that holds the service's key
            String mismatch = mutualMismatch(sent, response.headers().firstValue("WWW-Authenticate").orElse(null));
            if (mismatch != null) {
                throw new ClientFailure(ErrorCode.AUTHENTICATION_ERROR, path + ": " + mismatch);
            }
            return new Answer(status, body);
        }
        JsonNode error = body.path("error");
        if (error.has("code")) {
            List<String> hints = new ArrayList<>();
            error.path("hints").forEach(h -> hints.add(h.asText()));
            String detail = path + " refused (HTTP " + status + ")"
                    + (error.hasNonNull("detail") ? ": " + error.get("detail").asText() : "")
                    + (error.hasNonNull("requestId") ? "; server request id " + error.get("requestId").asText() : "");
            throw new ClientFailure(error.get("code").asInt(), error.path("name").asText("?"), error.path("message").asText(""),
                    hints, detail);
        }
        throw new ClientFailure(status >= 500 ? ErrorCode.SERVER_INTERNAL_ERROR : ErrorCode.REQUEST_CERTIFICATE_FAILED,
                path + " answered HTTP " + status);
    }

    /** Null when the server's Negotiate answer proves it holds the service's key, else what is wrong. */
    private String mutualMismatch(SpnegoToken.Sent sent, String header) {
        if (header == null || !header.regionMatches(true, 0, "Negotiate ", 0, 10)) {
            return "the server sent no mutual-authentication answer (WWW-Authenticate: Negotiate)";
        }
        try {
            return tokens.mismatch(sent, Base64.getDecoder().decode(header.substring(10).strip()));
        } catch (IllegalArgumentException e) {
            return "the mutual-authentication answer is not base64";
        }
    }

    private static SSLContext trusting(ClientOptions options) throws ClientFailure {
        try (InputStream in = Files.newInputStream(options.caFile())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, ca);
            }
            if (i == 0) {
                throw new ClientFailure(ErrorCode.SERVER_CERTIFICATE_NOT_TRUSTED, options.caFile() + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        } catch (IOException | GeneralSecurityException e) {
            throw new ClientFailure(ErrorCode.SERVER_CERTIFICATE_NOT_TRUSTED, "cannot read --ca " + options.caFile() + ": " + e.getMessage());
        }
    }
}
