package org.autoenroll.samples.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.autoenroll.server.demo.DemoEnvironment;
import org.autoenroll.server.demo.DemoEnvironment.DemoUser;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** The HTTP requests of the load, built from tokens and CSRs made before timing. Stateless. */
final class LoadRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LoadRequests() {
    }

    /** An enrollment, or a renewal of {@code renewSerial} (hex) when it is not null. */
    static HttpRequest enroll(URI base, byte[] token, DemoUser user, String csrPem, String renewSerial) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("customerUri", DemoEnvironment.CUSTOMER_URI);
        body.put("orgId", "1");
        body.put("email", user.email());
        body.put("csr", csrPem);
        if (renewSerial != null) {
            body.put("renewSerial", renewSerial);
        }
        return post(base.resolve("/api/v1/enroll"), token, JSON.writeValueAsString(body));
    }

    /** A status report (INSTALLED) about the certificate {@code serial} (hex). */
    static HttpRequest status(URI base, byte[] token, String serial) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("customerUri", DemoEnvironment.CUSTOMER_URI);
        body.put("serial", serial);
        body.put("status", "INSTALLED");
        return post(base.resolve("/api/v1/status"), token, JSON.writeValueAsString(body));
    }

    /** What the caller should do now: the requirements list. */
    static HttpRequest requirements(URI base, byte[] token) {
        return HttpRequest.newBuilder(base.resolve("/api/v1/requirements?customerUri="
                        + URLEncoder.encode(DemoEnvironment.CUSTOMER_URI, StandardCharsets.UTF_8))).timeout(TIMEOUT)
                .header("Authorization", negotiate(token)).GET().build();
    }

    private static HttpRequest post(URI uri, byte[] token, String json) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", negotiate(token))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static String negotiate(byte[] token) {
        return "Negotiate " + Base64.getEncoder().encodeToString(token);
    }

    /** A fresh EC P-256 key and its PKCS#10 request for {@code CN=commonName}, in PEM. */
    static String csr(String commonName) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(csr);
        }
        return out.toString();
    }
}
