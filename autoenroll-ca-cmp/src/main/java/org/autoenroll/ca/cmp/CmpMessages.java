package org.autoenroll.ca.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.autoenroll.api.SigningRequest;
import org.autoenroll.api.SubjectName;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cmp.CMPCertificate;
import org.bouncycastle.asn1.cmp.CertRepMessage;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.crmf.CRMFException;
import org.bouncycastle.cert.crmf.CertificateRequestMessageBuilder;

/**
 * The CMP messages of one enrollment: the request bodies (p10cr with the client's PKCS#10 as it
 * came, or cr with a template the pipeline's checked names fill, proof of possession "RA
 * verified"), and the checks every answer goes through before anything in it is believed:
 * parsable, protected, same transaction, our nonce echoed, the expected body type, a status that
 * grants the request.
 */
final class CmpMessages {
    static final ASN1ObjectIdentifier UPN_OID = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3");
    private static final String[] STATUS_NAMES = {"accepted", "grantedWithMods", "rejection", "waiting",
        "revocationWarning", "revocationNotification", "keyUpdateWarning"};
    private static final String[] FAILURE_NAMES = {"badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId",
        "badDataFormat", "wrongAuthority", "incorrectData", "missingTimeStamp", "badPOP", "certRevoked", "certConfirmed",
        "wrongIntegrity", "badRecipientNonce", "timeNotAvailable", "unacceptedPolicy", "unacceptedExtension",
        "addInfoNotAvailable", "badSenderNonce", "badCertTemplate", "signerNotTrusted", "transactionIdInUse",
        "unsupportedVersion", "notAuthorized", "systemUnavail", "systemFailure", "duplicateCertReq"};
    private static final int MAX_TEXT = 200;

    /** A request body and the subject it asks for. */
    record Outgoing(PKIBody body, X500Name subject) {
    }

    private CmpMessages() {
    }

    /** p10cr: the client's PKCS#10 exactly as the pipeline checked it. */
    static Outgoing p10cr(SigningRequest request) throws CmpFailure {
        CertificationRequest csr;
        try {
            csr = CertificationRequest.getInstance(request.pkcs10());
        } catch (IllegalArgumentException e) {
            throw new CmpFailure("the request's PKCS#10 does not parse", e);
        }
        return new Outgoing(new PKIBody(PKIBody.TYPE_P10_CERT_REQ, csr), csr.getCertificationRequestInfo().getSubject());
    }

    /**
     * cr: a template with the CSR's key, the subject {@code CN=<cn>} and the alternative names the
     * profile writes, all from the directory; certReqId 0; POP raVerified (the pipeline checked
     * the CSR's signature, RFC 4210 5.2.8).
     */
    static Outgoing cr(SigningRequest request) throws CmpFailure {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, request.commonName()).build();
        CertificateRequestMessageBuilder template = new CertificateRequestMessageBuilder(BigInteger.ZERO)
                .setSubject(subject)
                .setPublicKey(SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded()))
                .setProofOfPossessionRaVerified();
        try {
            GeneralNames names = subjectAltNames(request);
            if (names != null) {
                template.addExtension(Extension.subjectAlternativeName, false, names);
            }
            return new Outgoing(new PKIBody(PKIBody.TYPE_CERT_REQ,
                    new CertReqMessages(template.build().toASN1Structure())), subject);
        } catch (CRMFException | CertIOException e) {
            throw new CmpFailure("cannot build the CMP certificate request", e);
        }
    }

    private static GeneralNames subjectAltNames(SigningRequest request) {
        List<GeneralName> names = new ArrayList<>();
        if (request.profile().writes(SubjectName.EMAIL)) {
            request.email().ifPresent(email -> names.add(new GeneralName(GeneralName.rfc822Name, email)));
        }
        if (request.profile().writes(SubjectName.DNS)) {
            request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        }
        if (request.profile().writes(SubjectName.UPN)) {
            request.upn().ifPresent(upn -> names.add(new GeneralName(GeneralName.otherName,
                    new DERSequence(new ASN1Encodable[] {UPN_OID, new DERTaggedObject(true, 0, new DERUTF8String(upn))}))));
        }
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /**
     * Parses an answer and checks what every answer must satisfy before its protection is
     * checked: parsable, protected at all, our transaction, our nonce echoed.
     */
    static ProtectedPKIMessage parse(byte[] der, byte[] transactionId, byte[] ourNonce) throws CmpFailure {
        GeneralPKIMessage message;
        try {
            message = new GeneralPKIMessage(der);
        } catch (IOException | RuntimeException e) {
            throw new CmpFailure("the CMP server's answer is not a PKIMessage", e);
        }
        PKIHeader header = message.getHeader();
        if (header == null || message.getBody() == null) {
            throw new CmpFailure("the CMP server's answer has no header or no body");
        }
        if (!message.hasProtection()) {
            String what = "an unprotected message";
            if (message.getBody().getType() == PKIBody.TYPE_ERROR) {
                try {
                    what = "an unprotected error (" + statusText(ErrorMsgContent.getInstance(message.getBody().getContent())
                            .getPKIStatusInfo()) + ")";
                } catch (RuntimeException e) {
                    what = "an unprotected, malformed error";
                }
            }
            throw new CmpFailure("the CMP server answered " + what + "; answers must be protected");
        }
        if (!Arrays.equals(octets(header.getTransactionID()), transactionId)) {
            throw new CmpFailure("the CMP answer belongs to another transaction (transactionID differs)");
        }
        if (!Arrays.equals(octets(header.getRecipNonce()), ourNonce)) {
            throw new CmpFailure("the CMP answer does not echo our nonce (recipNonce differs): a replay or a confused server");
        }
        if (octets(header.getSenderNonce()) == null) {
            throw new CmpFailure("the CMP answer carries no senderNonce");
        }
        return new ProtectedPKIMessage(message);
    }

    /** The one CertResponse of a protected cp answer, granted. */
    static CertResponse grantedResponse(ProtectedPKIMessage answer) throws CmpFailure {
        try {
            return granted(answer.getBody());
        } catch (RuntimeException e) { // Bouncy Castle's getInstance methods throw these on malformed content
            throw new CmpFailure("the CMP server's answer is malformed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static CertResponse granted(PKIBody body) throws CmpFailure {
        if (body.getType() == PKIBody.TYPE_ERROR) {
            throw new CmpFailure("the CMP server refused the request: "
                    + statusText(ErrorMsgContent.getInstance(body.getContent()).getPKIStatusInfo()));
        }
        if (body.getType() != PKIBody.TYPE_CERT_REP) {
            throw new CmpFailure("the CMP server answered body type " + body.getType() + ", not a certificate response (cp)");
        }
        CertResponse[] responses = CertRepMessage.getInstance(body.getContent()).getResponse();
        if (responses.length != 1) {
            throw new CmpFailure("the CMP server answered " + responses.length + " certificate responses for one request");
        }
        CertResponse response = responses[0];
        int status = response.getStatus().getStatus().intValue();
        if (status == 3) {
            throw new CmpFailure("the CMP server holds the request (status waiting); polling is not supported: "
                    + statusText(response.getStatus()));
        }
        if (status != 0 && status != 1) {
            throw new CmpFailure("the CMP server refused the request: " + statusText(response.getStatus()));
        }
        if (response.getCertifiedKeyPair() == null) {
            throw new CmpFailure("the CMP server granted the request but sent no certificate");
        }
        return response;
    }

    static X509CertificateHolder certificate(CertResponse response) throws CmpFailure {
        try {
            CMPCertificate certificate = response.getCertifiedKeyPair().getCertOrEncCert().getCertificate();
            if (certificate == null || !certificate.isX509v3PKCert()) {
                throw new CmpFailure("the CMP server sent the certificate encrypted or not as X.509; only plain X.509 is supported");
            }
            return new X509CertificateHolder(certificate.getX509v3PKCert());
        } catch (RuntimeException e) {
            throw new CmpFailure("the certificate in the CMP answer is malformed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** "rejection, failInfo badPOP, 'text'": what the CA said, bounded and without control characters. */
    static String statusText(PKIStatusInfo info) {
        int status = info.getStatus().intValue();
        StringBuilder text = new StringBuilder("status ")
                .append(status >= 0 && status < STATUS_NAMES.length ? STATUS_NAMES[status] : String.valueOf(status));
        if (info.getFailInfo() != null) {
            byte[] bits = info.getFailInfo().getBytes();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < bits.length * 8; i++) {
                if ((bits[i / 8] & (0x80 >> (i % 8))) != 0) {
                    failures.add(i < FAILURE_NAMES.length ? FAILURE_NAMES[i] : "bit" + i);
                }
            }
            text.append(", failInfo ").append(String.join(" ", failures));
        }
        PKIFreeText free = info.getStatusString();
        if (free != null && free.size() > 0) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < free.size(); i++) {
                joined.append(i == 0 ? "" : "; ").append(free.getStringAtUTF8(i).getString());
            }
            String clean = joined.toString().replaceAll("\\p{Cntrl}", " ");
            text.append(", '").append(clean.length() > MAX_TEXT ? clean.substring(0, MAX_TEXT) + "..." : clean).append('\'');
        }
        return text.toString();
    }

    private static byte[] octets(ASN1OctetString value) {
        return value == null ? null : value.getOctets();
    }
}
