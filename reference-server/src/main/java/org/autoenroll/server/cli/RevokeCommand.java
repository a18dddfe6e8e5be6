package org.autoenroll.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.autoenroll.api.SecretRef;
import org.autoenroll.server.TlsContexts;

/**
 * {@code revoke}: an operator revokes a certificate through a running server's administration
 * endpoint, so that the H2 file of a running server is never opened twice and the CRL and OCSP
 * answers change at once. Exit codes: 0 revoked, 1 refused or unreachable, 2 usage.
 */
public final class RevokeCommand {
    public static final String USAGE = String.join("\n",
            "Usage: java -jar autoenroll-server.jar revoke --url https://HOST:PORT --serial HEX --reason NAME",
            "           --token env:NAME|file:/path [--cacert CA.pem]",
            "",
            "  --reason   an RFC 5280 CRLReason: keyCompromise, affiliationChanged, superseded,",
            "             cessationOfOperation, certificateHold, privilegeWithdrawn, unspecified",
            "  --token    where the admin token is kept (the server's admin.token)",
            "  --cacert   the CA that signed the server's TLS certificate (default: the JVM's trust store)");

    private static final ObjectMapper JSON = new ObjectMapper();

    private RevokeCommand() {
    }

    /** Runs the command; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options;
        try {
            options = Options.parse(args, "--url", "--serial", "--reason", "--token", "--cacert");
            for (String required : new String[] {"--url", "--serial", "--reason", "--token"}) {
                if (!options.containsKey(required)) {
                    throw new IllegalArgumentException(required + " is required");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("autoenroll revoke: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        char[] token = null;
        try {
            token = SecretRef.parse(options.get("--token")).resolve();
            HttpClient client = client(options.get("--cacert"));
            Map<String, String> body = new LinkedHashMap<>();
            body.put("serial", options.get("--serial"));
            body.put("reason", options.get("--reason"));
            HttpRequest request = HttpRequest.newBuilder(URI.create(options.get("--url")).resolve("/admin/v1/revoke"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + new String(token))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() == 200) {
                out.println("revoked " + answer.path("serial").asText() + " of " + answer.path("owner").asText()
                        + ": " + answer.path("reason").asText());
                return 0;
            }
            JsonNode error = answer.path("error");
            err.println("autoenroll revoke: refused with " + error.path("code").asInt() + " " + error.path("name").asText()
                    + ": " + error.path("detail").asText());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("autoenroll revoke: " + e.getMessage());
            return 2;
        } catch (IOException | GeneralSecurityException e) {
            err.println("autoenroll revoke: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (token != null) {
                Arrays.fill(token, '\0');
            }
        }
    }

    private static HttpClient client(String caPem) throws IOException, GeneralSecurityException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (caPem != null) {
            builder.sslContext(TlsContexts.trusting(Path.of(caPem)));
        }
        return builder.build();
    }
}
