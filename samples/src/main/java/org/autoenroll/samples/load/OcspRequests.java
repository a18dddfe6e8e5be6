package org.autoenroll.samples.load;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * OCSP requests as {@code openssl ocsp -issuer CA -serial N} forms them: one CertID with SHA-1
 * issuer hashes, no requestor name, no signature; with {@code -no_nonce} nothing else, otherwise
 * a nonce extension (an OCTET STRING in extnValue). {@code OcspRequestsTest} checks the bytes
 * against openssl's {@code -reqout}. Stateless.
 */
final class OcspRequests {
    private OcspRequests() {
    }

    static byte[] request(X509CertificateHolder issuer, BigInteger serial, byte[] nonce) {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), issuer, serial);
            OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
            if (nonce != null) {
                builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(new DEROctetString(nonce).getEncoded()))));
            }
            return builder.build().getEncoded();
        } catch (OCSPException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot form an OCSP request", e);
        }
    }

    /** The path of the GET form (RFC 6960 appendix A): {@code /ocsp/} and the URL-encoded base64 DER. */
    static String getPath(byte[] request) {
        return "/ocsp/" + URLEncoder.encode(Base64.getEncoder().encodeToString(request), StandardCharsets.US_ASCII);
    }
}
