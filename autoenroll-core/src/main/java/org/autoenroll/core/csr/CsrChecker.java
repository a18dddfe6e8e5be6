package org.autoenroll.core.csr;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.PublicKey;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RequestedKey;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Checks a PKCS#10 request in PEM: it parses, its self-signature verifies with a SHA-2 algorithm,
 * its key is RSA of 2048-8192 bits with public exponent 65537 or EC on the named curve P-256,
 * P-384 or P-521, and every name it asks for (subject CN and e-mail, subjectAltName) belongs to the
 * directory entry of the caller. Any failure is {@link ErrorCode#INVALID_CSR} (15) with the reason.
 *
 * <p>Cheap checks come first: the PEM length, the signature algorithm, then the key's size, RSA
 * exponent and curve, read from the DER alone; only a request that passes them reaches the key
 * factory (whose RSA validation does primality work) and the signature check, so a hostile request
 * with a huge modulus or exponent costs no more than parsing it.
 *
 * <p>Subject attributes that name no one (O, OU, C, L, ST, DC) are allowed and ignored: the CA
 * writes the subject from the directory, never from the CSR. Thread-safe.
 */
public final class CsrChecker {
    /** A PEM CSR with an RSA-16384 key and a few names stays well under this. */
    public static final int MAX_PEM_CHARS = 32 * 1024;
    private static final int MIN_RSA_BITS = 2048;
    /** The global cap; a template may set a lower one in the policy. */
    public static final int MAX_RSA_BITS = 8192;
    private static final BigInteger RSA_EXPONENT = BigInteger.valueOf(65537);
    private static final ASN1ObjectIdentifier UPN = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3");
    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            X9ObjectIdentifiers.prime256v1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384",
            SECObjectIdentifiers.secp521r1, "P-521");
    private static final Set<ASN1ObjectIdentifier> SIGNATURE_ALGORITHMS = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption, PKCSObjectIdentifiers.id_RSASSA_PSS,
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);
    private static final Set<ASN1ObjectIdentifier> NAMELESS_SUBJECT_ATTRIBUTES = Set.of(
            BCStyle.O, BCStyle.OU, BCStyle.C, BCStyle.L, BCStyle.ST, BCStyle.DC);

    private final CsrSignatureVerifier verifier;

    /** Verifies signatures with a Bouncy Castle provider instance of its own (pure Java). */
    public CsrChecker() {
        this(null);
    }

    /**
     * Verifies signatures with {@code provider}, an instance never registered globally (the built-in
     * CA's {@code cryptoProvider()}, native when it loads); null means Bouncy Castle. RSASSA-PSS is
     * always verified by Bouncy Castle.
     *
     * @since 0.1
     */
    public CsrChecker(java.security.Provider provider) {
        this.verifier = new CsrSignatureVerifier(provider);
    }

    /**
     * @param pem the CSR as the client sent it
     * @param owner the caller's directory entry: the names the CSR may ask for
     */
    public CheckedCsr check(String pem, DirectoryEntry owner) throws EnrollmentException {
        PKCS10CertificationRequest csr = parse(pem);
        if (!SIGNATURE_ALGORITHMS.contains(csr.getSignatureAlgorithm().getAlgorithm())) {
            throw invalid("the CSR is signed with " + csr.getSignatureAlgorithm().getAlgorithm().getId()
                    + "; only SHA-256, SHA-384 or SHA-512 with RSA or ECDSA are accepted");
        }
        RequestedKey key = checkKey(csr.getSubjectPublicKeyInfo());
        PublicKey publicKey;
        try {
            publicKey = verifier.publicKey(csr, key.algorithm());
            if (!verifier.verifies(csr, publicKey)) {
                throw invalid("the CSR's signature does not verify: no proof of possession of the key");
            }
        } catch (EnrollmentException e) {
            throw e;
        } catch (Exception e) {
            throw invalid("the CSR's key or signature cannot be read");
        }
        checkSubject(csr, owner);
        checkAltNames(csr, owner);
        try {
            return new CheckedCsr(publicKey, key, csr.getEncoded(), TemplateExtensions.templateHint(csr));
        } catch (IOException e) {
            throw invalid("the CSR cannot be re-encoded");
        }
    }

    private static PKCS10CertificationRequest parse(String pem) throws EnrollmentException {
        if (pem.length() > MAX_PEM_CHARS) {
            throw invalid("the CSR is longer than " + MAX_PEM_CHARS + " characters");
        }
        PKCS10CertificationRequest plain = PlainPem.csr(pem);
        if (plain != null) {
            return plain;
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            if (parsed instanceof PKCS10CertificationRequest csr) {
                return csr;
            }
            throw invalid("the csr field holds no PEM \"CERTIFICATE REQUEST\"");
        } catch (IOException | RuntimeException e) {
            throw invalid("the CSR is not valid PEM/DER PKCS#10");
        }
    }

    private static RequestedKey checkKey(SubjectPublicKeyInfo key) throws EnrollmentException {
        ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
        try {
            if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
                BigInteger modulus = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(key.parsePublicKey()).getModulus();
                int bits = modulus.bitLength();
                if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                    throw invalid("RSA key of " + bits + " bits; " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " are accepted");
                }
                BigInteger exponent = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(key.parsePublicKey()).getPublicExponent();
                if (!RSA_EXPONENT.equals(exponent)) {
                    throw invalid("RSA public exponent of " + exponent.bitLength() + " bits other than 65537; only 65537 is accepted");
                }
                return new RequestedKey("RSA", bits, null);
            }
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
                ASN1Encodable parameters = key.getAlgorithm().getParameters();
                String curve = parameters instanceof ASN1ObjectIdentifier oid ? CURVES.get(oid) : null;
                if (curve == null) {
                    throw invalid("EC key on a curve other than P-256, P-384 or P-521");
                }
                return new RequestedKey("EC", Integer.parseInt(curve.substring(2)), curve);
            }
        } catch (IOException | RuntimeException e) {
            throw invalid("the CSR's public key cannot be read");
        }
        throw invalid("key algorithm " + algorithm.getId() + "; RSA or EC is required");
    }

    private static void checkSubject(PKCS10CertificationRequest csr, DirectoryEntry owner) throws EnrollmentException {
        for (RDN rdn : csr.getSubject().getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                ASN1ObjectIdentifier type = attribute.getType();
                String value = text(attribute.getValue());
                if (BCStyle.CN.equals(type)) {
                    if (!ownsName(owner, value)) {
                        throw invalid("the CSR's subject CN is not the caller's name in the directory");
                    }
                } else if (BCStyle.EmailAddress.equals(type)) {
                    if (!owner.ownsEmail(value)) {
                        throw invalid("the CSR's subject e-mail is not one of the caller's addresses");
                    }
                } else if (!NAMELESS_SUBJECT_ATTRIBUTES.contains(type)) {
                    throw invalid("the CSR's subject has attribute " + type.getId() + ", which the CA does not certify");
                }
            }
        }
    }

    private static void checkAltNames(PKCS10CertificationRequest csr, DirectoryEntry owner) throws EnrollmentException {
        for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : attribute.getAttrValues()) {
                Extensions extensions;
                try {
                    extensions = Extensions.getInstance(value);
                } catch (RuntimeException e) {
                    throw invalid("the CSR's extension request cannot be read");
                }
                GeneralNames names;
                try {
                    names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                } catch (RuntimeException e) {
                    throw invalid("the CSR's subjectAltName cannot be read");
                }
                if (names != null) {
                    for (GeneralName name : names.getNames()) {
                        try {
                            checkAltName(name, owner);
                        } catch (RuntimeException e) {
                            throw invalid("a subjectAltName of the CSR cannot be read");
                        }
                    }
                }
            }
        }
    }

    private static void checkAltName(GeneralName name, DirectoryEntry owner) throws EnrollmentException {
        switch (name.getTagNo()) {
            case GeneralName.rfc822Name -> {
                if (!owner.ownsEmail(text(name.getName()))) {
                    throw invalid("the CSR asks for an e-mail address that is not the caller's");
                }
            }
            case GeneralName.otherName -> {
                ASN1Sequence other = ASN1Sequence.getInstance(name.getName());
                ASN1ObjectIdentifier type = ASN1ObjectIdentifier.getInstance(other.getObjectAt(0));
                if (!UPN.equals(type)) {
                    throw invalid("the CSR asks for an otherName of type " + type.getId());
                }
                ASN1Encodable upnValue = ASN1TaggedObject.getInstance(other.getObjectAt(1)).getExplicitBaseObject();
                String upn = DERUTF8String.getInstance(upnValue).getString();
                if (owner.userPrincipalName() == null || !upn.equalsIgnoreCase(owner.userPrincipalName())) {
                    throw invalid("the CSR asks for a UPN that is not the caller's");
                }
            }
            case GeneralName.dNSName -> {
                String dns = text(name.getName());
                if (owner.dnsHostName().filter(dns::equalsIgnoreCase).isEmpty()) {
                    throw invalid("the CSR asks for a DNS name that is not the computer's dNSHostName");
                }
            }
            default -> throw invalid("the CSR asks for a subjectAltName of type " + name.getTagNo()
                    + "; only e-mail, UPN and (for computers) DNS names are certified");
        }
    }

    private static boolean ownsName(DirectoryEntry owner, String name) {
        // a client may send decomposed Unicode (NFD, as macOS file names): compare in NFC
        String lower = nfc(name).toLowerCase(Locale.ROOT);
        return lower.equalsIgnoreCase(nfc(owner.commonName())) || lower.equalsIgnoreCase(owner.samAccountName())
                || owner.dnsHostName().filter(lower::equalsIgnoreCase).isPresent()
                || lower.equalsIgnoreCase(owner.userPrincipalName()) || owner.ownsEmail(name);
    }

    private static String nfc(String s) {
        return s == null ? null : java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC);
    }

    private static String text(ASN1Encodable value) throws EnrollmentException {
        if (value instanceof ASN1String string) {
            return string.getString();
        }
        throw invalid("a name in the CSR is not a string");
    }

    private static EnrollmentException invalid(String detail) {
        return new EnrollmentException(ErrorCode.INVALID_CSR, detail);
    }
}
