package org.autoenroll.wstep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.XmlWriter;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.util.CollectionStore;

/**
 * Writes the RequestSecurityTokenResponseCollection of MS-WSTEP in the order a live AD CS sends
 * it, which Windows relies on: TokenType, DispositionMessage, a bare BinarySecurityToken with a
 * PKCS#7 certs-only of the certificate and its chain, RequestedSecurityToken with the issued
 * certificate as a bare base64 X.509 (one line: cepces breaks on 76-character CRLF lines), and
 * RequestID. A pending answer carries a SecurityTokenReference to the CES URL instead of tokens.
 * Stateless.
 */
final class RstrWriter {
    static final String ISSUED = "Issued";
    static final String PENDING = "Taken Under Submission";
    private static final String BASE64_BINARY = Namespaces.WSSE + "#base64binary";

    private RstrWriter() {
    }

    static void issued(XmlWriter xml, IssuedCertificate certificate, long wireRequestId) {
        open(xml, ISSUED);
        token(xml, RstRequest.PKCS7, Base64.getEncoder().encodeToString(certsOnly(certificate)));
        xml.open("", "RequestedSecurityToken");
        token(xml, RstRequest.X509V3, Base64.getEncoder().encodeToString(certificate.certificate()));
        xml.close();
        close(xml, wireRequestId);
    }

    static void pending(XmlWriter xml, String cesUri, long wireRequestId) {
        open(xml, PENDING);
        xml.open("", "RequestedSecurityToken");
        xml.open("", "SecurityTokenReference").namespace("", Namespaces.WSSE);
        xml.open("", "Reference").attribute("URI", cesUri).close();
        xml.close();
        xml.close();
        close(xml, wireRequestId);
    }

    /** A degenerate SignedData (no signers) holding the certificate, then its chain nearest first. */
    static byte[] certsOnly(IssuedCertificate certificate) {
        try {
            List<X509CertificateHolder> certificates = new ArrayList<>();
            certificates.add(new X509CertificateHolder(certificate.certificate()));
            for (byte[] ca : certificate.chain()) {
                certificates.add(new X509CertificateHolder(ca));
            }
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new CollectionStore<>(certificates));
            return generator.generate(new CMSAbsentContent()).toASN1Structure().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (IOException | CMSException e) {
            throw new IllegalStateException("the issued certificate or its chain does not encode", e);
        }
    }

    private static void open(XmlWriter xml, String disposition) {
        xml.open("", "RequestSecurityTokenResponseCollection").namespace("", Namespaces.WST);
        xml.open("", "RequestSecurityTokenResponse");
        xml.leaf("", "TokenType", RstRequest.X509V3);
        xml.open("", "DispositionMessage").namespace("", Namespaces.WSTEP).attribute("xml:lang", "en-US")
                .text(disposition).close();
    }

    private static void token(XmlWriter xml, String valueType, String base64) {
        xml.open("", "BinarySecurityToken").namespace("", Namespaces.WSSE).attribute("ValueType", valueType)
                .attribute("EncodingType", BASE64_BINARY).text(base64).close();
    }

    private static void close(XmlWriter xml, long wireRequestId) {
        xml.open("", "RequestID").namespace("", Namespaces.WSTEP).text(Long.toString(wireRequestId)).close();
        xml.close();
        xml.close();
    }
}
