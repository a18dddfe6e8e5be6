package org.autoenroll.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.client.ClientOptions.KeyKind;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A new key pair and its PKCS#10 request. EC P-256 by default, which every template accepts unless
 * it asks for RSA only; then RSA 3072 (the server answers 51 KEY_NOT_ALLOWED, and the client asks
 * again with RSA). The subject names only the CN given, if any: the CA writes the subject and
 * alternative names from the directory, never from the request. Stateless.
 */
final class CertificateRequests {
    static final int RSA_BITS = 3072;

    /** A key pair with its request in PEM. */
    record NewRequest(KeyPair keys, String csrPem) {
    }

    private CertificateRequests() {
    }

    /** @throws ClientFailure 33 when no key or request can be made */
    static NewRequest create(KeyKind kind, String commonName) throws ClientFailure {
        try {
            KeyPairGenerator generator;
            String signature;
            if (kind == KeyKind.EC) {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                signature = "SHA256withECDSA";
            } else {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(RSA_BITS);
                signature = "SHA256withRSA";
            }
            KeyPair keys = generator.generateKeyPair();
            X500Principal subject = new X500Principal(commonName == null ? "" : "CN=" + escape(commonName));
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder(signature).build(keys.getPrivate()));
            String pem = "-----BEGIN CERTIFICATE REQUEST-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(csr.getEncoded())
                    + "\n-----END CERTIFICATE REQUEST-----\n";
            return new NewRequest(keys, pem);
        } catch (GeneralSecurityException | OperatorCreationException | IOException | IllegalArgumentException e) {
            throw new ClientFailure(ErrorCode.CREATE_REQUEST_FAILED, "cannot make a " + kind + " key and request: " + e.getMessage());
        }
    }

    /** RFC 4514 escaping of a CN value. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (",+\"\\<>;=#".indexOf(c) >= 0 || (c == ' ' && (i == 0 || i == value.length() - 1))) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
