package org.autoenroll.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import org.autoenroll.api.SecretRef;
import org.autoenroll.server.internal.TlsContexts;

/**
 * The administration API's client for the operator commands: one HTTPS call with the operator's
 * bearer token (read from its {@code env:}/{@code file:} reference, wiped after the call, never
 * printed), trusting the JVM's trust store or a given CA. Stateless.
 */
final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** What the server answered: the HTTP status and the JSON body. */
    record Answer(int status, JsonNode body) {
    }

    private AdminClient() {
    }

    /**
     * @param body a value written as JSON, or null for no body
     * @throws IllegalArgumentException for a bad URL or token reference
     */
    static Answer call(String url, String tokenReference, String caPem, String method, String pathAndQuery, Object body)
            throws IOException, GeneralSecurityException, InterruptedException {
        char[] token = SecretRef.parse(tokenReference).resolve();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url).resolve(pathAndQuery))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + new String(token));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<String> response = client(caPem).send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } finally {
            Arrays.fill(token, '\0');
        }
    }

    /** Prints the error body's code, name and detail; returns exit code 1. */
    static int refused(String command, Answer answer, PrintWriter err) {
        JsonNode error = answer.body().path("error");
        err.println("autoenroll " + command + ": refused with " + error.path("code").asInt() + " "
                + error.path("name").asText() + ": " + error.path("detail").asText());
        return 1;
    }

    private static HttpClient client(String caPem) throws IOException, GeneralSecurityException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (caPem != null) {
            builder.sslContext(TlsContexts.trusting(Path.of(caPem)));
        }
        return builder.build();
    }
}
