package org.autoenroll.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SigningRequest;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate authority inside the server: one self-signed CA key and certificate kept in a
 * PKCS#12 file or in a PKCS#11 token ({@link CaSettings#pkcs11()}), signing user certificates for mail and client authentication (the SAN carries
 * the e-mail and the UPN, as certificate-based Kerberos and Exchange need) and the server's own
 * TLS certificate in demo mode.
 *
 * <p>Issued certificates have the subject {@code CN=<commonName>} only; the e-mail address is in
 * the SAN as rfc822Name (RFC 5280 4.1.2.6 wants it there; {@code emailAddress} in the DN is
 * deprecated). Serials are 159 random bits from {@link SecureRandom}, positive and never zero.
 * Signatures with a PKCS#12 key are made by the provider {@link CaSettings#cryptoProvider()} chooses
 * (native ACCP when it loads, else Bouncy Castle; {@link #cryptoProvider()} verifies CSRs the same way);
 * every provider is used as an instance, never registered globally.
 *
 * <p>Thread-safe: the key and certificate never change after {@link #open}; every signature
 * uses its own signer.
 */
public final class BuiltInCa implements CertificateSigner {
    private static final Logger LOG = LoggerFactory.getLogger(BuiltInCa.class);

    /** Issued certificates start this much before "now", so clients with a slow clock accept them. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final int SERIAL_BITS = 159;
    /** id-pkix-ocsp-nocheck, RFC 6960 4.2.2.2.1. */
    static final ASN1ObjectIdentifier OCSP_NOCHECK = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.1.5");

    // input bounds: X.520 ub-common-name is 64; an e-mail address is at most 254 characters
    private static final int MAX_COMMON_NAME = 64;
    private static final int MAX_EMAIL = 254;
    private static final int MAX_UPN = 1024;
    private static final Pattern SID = Pattern.compile("S-1-[0-9]{1,15}(-[0-9]{1,10}){1,15}");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final CaSettings settings;
    private final Clock clock;
    private final BouncyCastleProvider provider;
    /** Signs with the CA key: the chosen crypto provider for a PKCS#12 key, the token's SunPKCS11 instance for a PKCS#11 key. */
    private final java.security.Provider signatureProvider;
    /** The chosen crypto provider (ACCP or Bouncy Castle), also for CSR verification. */
    private final CryptoProviders.Resolved crypto;
    private final SecureRandom random;
    private final PrivateKey caKey;
    private final X509Certificate caCertificate;
    private final X509CertificateHolder caHolder;
    private final CaKeyType caKeyType;
    private final byte[] caDer;
    private final IssuerExtensions issuerExtensions;
    /** The CA certificate's validity, read once: Bouncy Castle's certificate parses its dates on every call. */
    private final Instant caNotBefore;
    private final Instant caNotAfter;

    private BuiltInCa(CaSettings settings, Clock clock, BouncyCastleProvider provider, CryptoProviders.Resolved crypto,
                      java.security.Provider tokenProvider, SecureRandom random, CaKeystore.Entry entry)
            throws CaStartupException {
        this.settings = settings;
        this.clock = clock;
        this.provider = provider;
        this.crypto = crypto;
        this.signatureProvider = tokenProvider != null ? tokenProvider : crypto.provider();
        this.random = random;
        this.caCertificate = entry.certificate();
        try {
            this.caDer = caCertificate.getEncoded();
            this.caHolder = new X509CertificateHolder(caDer);
            this.caKeyType = keyTypeOf(caCertificate.getPublicKey());
            this.issuerExtensions = new IssuerExtensions(settings, caCertificate.getPublicKey());
            this.caNotBefore = caCertificate.getNotBefore().toInstant();
            this.caNotAfter = caCertificate.getNotAfter().toInstant();
            this.caKey = tokenProvider != null ? entry.key() : ownKey(entry.key(), caKeyType, signatureProvider);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "the CA certificate in " + (settings.pkcs11() != null ? settings.pkcs11() : settings.keystorePath())
                            + " is unusable: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the CA from {@code settings.keystorePath()}, or on first start generates a key of
     * {@code settings.keyType()} and a self-signed CA certificate and stores them there. With
     * {@link CaSettings#pkcs11()}, the key and certificate are in the PKCS#11 token instead (see
     * {@link Pkcs11Settings}): generated in the token on first start, the private key never
     * extractable; every signature (certificates, CRLs, OCSP responses) is made by the token.
     *
     * @throws CaStartupException with the reason (wrong password, unreadable keystore, ...)
     */
    public static BuiltInCa open(CaSettings settings, Clock clock) throws CaStartupException {
        return open(settings, clock, AccpLoader::load);
    }

    /** As {@link #open(CaSettings, Clock)}, with the native provider's loader given (tests simulate its absence). */
    static BuiltInCa open(CaSettings settings, Clock clock, java.util.function.Supplier<AccpLoader.Loaded> nativeLoader)
            throws CaStartupException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        BouncyCastleProvider provider = new BouncyCastleProvider();
        CryptoProviders.Resolved crypto = CryptoProviders.resolve(settings.cryptoProvider(), nativeLoader);
        if (crypto.fallbackReason() != null) {
            LOG.warn("the Amazon Corretto Crypto Provider is not used, {}: the CA signs and checks CSRs with {} (pure Java)",
                    crypto.fallbackReason(), crypto.provider().getName());
        } else {
            LOG.info("the CA signs and checks CSRs with {}", crypto.describe());
        }
        SecureRandom random = new SecureRandom();
        if (settings.pkcs11() != null) {
            Pkcs11CaKey.Opened opened = Pkcs11CaKey.open(settings, clock, provider, random);
            return checked(new BuiltInCa(settings, clock, provider, crypto, opened.provider(), random, opened.entry()));
        }
        char[] password;
        try {
            password = settings.keystorePassword().resolve();
        } catch (IOException e) {
            throw new CaStartupException(CaStartupException.Reason.PASSWORD_UNAVAILABLE,
                    "cannot read the keystore password from " + settings.keystorePassword() + ": " + e.getMessage(), e);
        }
        try {
            CaKeystore.Entry entry;
            if (java.nio.file.Files.exists(settings.keystorePath())) {
                entry = CaKeystore.load(settings.keystorePath(), password);
            } else {
                CaKeystore.Entry created = generate(settings, clock, provider, provider, random);
                if (CaKeystore.create(settings.keystorePath(), password, created)) {
                    LOG.info("generated CA {} ({}) in {}", settings.subjectDn(), settings.keyType(), settings.keystorePath());
                    entry = created;
                } else {
                    entry = CaKeystore.load(settings.keystorePath(), password);
                }
            }
            return checked(new BuiltInCa(settings, clock, provider, crypto, null, random, entry));
        } finally {
            CaKeystore.clear(password);
        }
    }

    /**
     * The key as an object of the signing provider's own class, so that it is not converted again
     * on every signature; the key as loaded when the provider cannot translate it (it then converts
     * it itself, or fails the first signature with a clear error).
     */
    private static PrivateKey ownKey(PrivateKey key, CaKeyType type, java.security.Provider signing) {
        try {
            return java.security.KeyFactory.getInstance(type.algorithm(), signing).translateKey(key) instanceof PrivateKey own
                    ? own : key;
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.warn("{} cannot take the CA key as its own ({}): it converts it on each signature",
                    signing.getName(), e.getClass().getSimpleName());
            return key;
        }
    }

    private static BuiltInCa checked(BuiltInCa ca) {
        if (ca.caKeyType != ca.settings.keyType()) {
            LOG.warn("CA key store {} holds a {} key; the configured key type {} applies only to a new CA",
                    ca.settings.pkcs11() != null ? ca.settings.pkcs11() : ca.settings.keystorePath(), ca.caKeyType,
                    ca.settings.keyType());
        }
        return ca;
    }

    /**
     * Generates the CA key with {@code keyProvider} (Bouncy Castle, or a PKCS#11 token's provider,
     * which then keeps the key) and self-signs the CA certificate with it.
     */
    static CaKeystore.Entry generate(CaSettings settings, Clock clock, java.security.Provider keyProvider,
                                     BouncyCastleProvider provider, SecureRandom random) throws CaStartupException {
        try {
            CaKeyType type = settings.keyType();
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.algorithm(), keyProvider);
            if (type.curve() != null) {
                generator.initialize(new ECGenParameterSpec(type.curve()), random);
            } else {
                generator.initialize(type.bits(), random);
            }
            KeyPair keyPair = generator.generateKeyPair();
            X500Name subject = new X500Name(BCStyle.INSTANCE, settings.subjectDn());
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Instant notBefore = now.minus(CLOCK_SKEW);
            Instant notAfter = now.plus(settings.caValidity());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, newSerial(random),
                    Date.from(notBefore), Date.from(notAfter), subject, keyPair.getPublic())
                    // path length 0: this CA signs end-entity certificates only
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keyPair.getPublic()));
            ContentSigner signer = new JcaContentSignerBuilder(type.signatureAlgorithm())
                    .setProvider(keyProvider).setSecureRandom(random).build(keyPair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().setProvider(provider)
                    .getCertificate(builder.build(signer));
            return new CaKeystore.Entry(keyPair.getPrivate(), certificate);
        } catch (GeneralSecurityException | IOException | OperatorCreationException | IllegalArgumentException e) {
            throw new CaStartupException(CaStartupException.Reason.CREATION_FAILED,
                    "cannot generate the CA key and certificate: " + e.getMessage(), e);
        }
    }

    /** A positive serial of {@value #SERIAL_BITS} random bits, never zero (RFC 5280 4.1.2.2). */
    static BigInteger newSerial(SecureRandom random) {
        BigInteger serial;
        do {
            serial = new BigInteger(SERIAL_BITS, random);
        } while (serial.signum() == 0);
        return serial;
    }

    @Override
    public IssuedCertificate sign(SigningRequest request) throws EnrollmentException {
        Objects.requireNonNull(request, "request");
        String commonName = request.commonName().strip();
        checkLength("commonName", commonName, MAX_COMMON_NAME);
        if (request.email().isPresent()) {
            checkLength("email", request.email().get(), MAX_EMAIL);
        }
        if (request.upn().isPresent()) {
            checkLength("userPrincipalName", request.upn().get(), MAX_UPN);
        }
        for (String dns : request.dnsNames()) {
            checkLength("dNSName", dns, MAX_COMMON_NAME);
        }
        if (request.sid().isPresent() && !SID.matcher(request.sid().get()).matches()) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    "the user's SID is not in S-1-... form");
        }
        try {
            SubjectPublicKeyInfo keyInfo = SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded());
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            CertificateProfile profile = request.profile();
            Validity validity = validity(profile.validity());
            BigInteger serial = newSerial(random);

            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(caHolder.getSubject(), serial,
                    Asn1Times.of(validity.notBefore()), Asn1Times.of(validity.notAfter()), subject, keyInfo);
            addCommonEndEntityExtensions(builder, keyInfo, request.publicKey(), profile.keyUsage());
            GeneralNames names = ProfileExtensions.subjectAltNames(request);
            if (names != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, names);
            }
            ProfileExtensions.addPolicyExtensions(builder, request);
            X509CertificateHolder holder = builder.build(newSigner());
            byte[] der = holder.getEncoded();
            // the validity as computed (whole seconds): parsing it back from the holder costs a SimpleDateFormat each
            return new IssuedCertificate(serial, der, List.of(caDer), x500Principal(holder).getName(X500Principal.RFC2253),
                    validity.notBefore(), validity.notAfter());
        } catch (EnrollmentException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
            LOG.warn("signing {} failed", request, e);
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    "the built-in CA could not sign the certificate: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Issues the server's own TLS certificate (serverAuth) for {@code dnsNames}: each name
     * becomes a SAN dNSName, or an iPAddress when it is an IP literal such as {@code 127.0.0.1};
     * the first one is the subject CN.
     *
     * @return the chain: the new certificate, then the CA certificate
     * @throws IllegalArgumentException when a name is neither a host name nor an IP address
     * @throws GeneralSecurityException when signing fails
     */
    public X509Certificate[] issueTlsServerCertificate(List<String> dnsNames, KeyPair keyPair) throws GeneralSecurityException {
        Objects.requireNonNull(keyPair, "keyPair");
        if (dnsNames == null || dnsNames.isEmpty() || dnsNames.size() > 100) {
            throw new IllegalArgumentException("between 1 and 100 DNS names are needed");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String name : dnsNames) {
            if (name == null || name.length() > 253) {
                throw new IllegalArgumentException("a DNS name is missing or too long");
            }
            if (IPV4.matcher(name).matches() || name.contains(":")) {
                names.add(new GeneralName(GeneralName.iPAddress, name));
            } else if (DNS_NAME.matcher(name).matches()) {
                names.add(new GeneralName(GeneralName.dNSName, name));
            } else {
                throw new IllegalArgumentException("not a host name or IP address: " + name);
            }
        }
        try {
            SubjectPublicKeyInfo keyInfo = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
            String cn = dnsNames.get(0).length() <= MAX_COMMON_NAME ? dnsNames.get(0) : "autoenroll server";
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
            Validity validity = validity(settings.tlsValidity());
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(caHolder.getSubject(), newSerial(random),
                    Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, keyInfo);
            addCommonEndEntityExtensions(builder, keyInfo, keyPair.getPublic(), keyUsageFor(keyInfo));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter().setProvider(provider)
                    .getCertificate(builder.build(newSigner()));
            return new X509Certificate[] {certificate, caCertificate};
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot issue the TLS server certificate", e);
        } catch (EnrollmentException e) {
            throw new GeneralSecurityException(e.detail(), e);
        }
    }

    private void addCommonEndEntityExtensions(X509v3CertificateBuilder builder, SubjectPublicKeyInfo keyInfo,
                                              PublicKey publicKey, java.util.Set<org.autoenroll.api.KeyUsageBit> keyUsage)
            throws IOException, GeneralSecurityException {
        addCommonEndEntityExtensions(builder, keyInfo, publicKey,
                keyUsage.isEmpty() ? keyUsageFor(keyInfo) : ProfileExtensions.keyUsageBits(keyUsage));
    }

    private void addCommonEndEntityExtensions(X509v3CertificateBuilder builder, SubjectPublicKeyInfo keyInfo,
                                              PublicKey publicKey, int keyUsage) throws IOException, GeneralSecurityException {
        issuerExtensions.addTo(builder, keyInfo, keyUsage);
    }

    /**
     * Issues a delegated OCSP signing certificate (RFC 6960 4.2.2.2) for {@code publicKey}:
     * extended key usage id-kp-OCSPSigning, id-pkix-ocsp-nocheck (clients do not check its own
     * revocation, so it should be short-lived), key usage digitalSignature, valid for
     * {@code lifetime} (capped at the CA's validity). Its subject is the CA's subject with the CN
     * replaced by "OCSP signer".
     */
    public X509Certificate issueOcspSigningCertificate(PublicKey publicKey, Duration lifetime)
            throws GeneralSecurityException {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(lifetime, "lifetime");
        try {
            SubjectPublicKeyInfo keyInfo = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
            for (org.bouncycastle.asn1.x500.RDN rdn : caHolder.getSubject().getRDNs()) {
                if (!rdn.isMultiValued() && !BCStyle.CN.equals(rdn.getFirst().getType())) {
                    subject.addRDN(rdn.getFirst());
                }
            }
            subject.addRDN(BCStyle.CN, "OCSP signer");
            Validity validity = validity(lifetime);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(caHolder.getSubject(), newSerial(random),
                    Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject.build(), keyInfo);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
            builder.addExtension(OCSP_NOCHECK, false, org.bouncycastle.asn1.DERNull.INSTANCE);
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keyInfo));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(caCertificate.getPublicKey()));
            return new JcaX509CertificateConverter().setProvider(provider).getCertificate(builder.build(newSigner()));
        } catch (IOException | OperatorCreationException | IllegalArgumentException e) {
            throw new GeneralSecurityException("cannot issue the OCSP signing certificate", e);
        } catch (EnrollmentException e) {
            throw new GeneralSecurityException(e.detail(), e);
        }
    }

    /** RSA keys encipher (TLS RSA key exchange, S/MIME); EC keys agree (ECDH). */
    private static int keyUsageFor(SubjectPublicKeyInfo keyInfo) {
        ASN1ObjectIdentifier algorithm = keyInfo.getAlgorithm().getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            return KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            return KeyUsage.digitalSignature | KeyUsage.keyAgreement;
        }
        return KeyUsage.digitalSignature;
    }

    private record Validity(Instant notBefore, Instant notAfter) {
    }

    /** From now minus the clock skew to now plus {@code lifetime}, never beyond the CA's own validity. */
    private Validity validity(Duration lifetime) throws EnrollmentException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notBefore = max(now.minus(CLOCK_SKEW), caNotBefore);
        Instant notAfter = min(now.plus(lifetime), caNotAfter);
        if (!now.isBefore(caNotAfter) || !notAfter.isAfter(notBefore)) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    "the CA certificate has expired (not after " + caNotAfter + ")");
        }
        return new Validity(notBefore, notAfter);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static void checkLength(String what, String value, int max) throws EnrollmentException {
        if (value.isEmpty() || value.length() > max) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    what + " must have 1 to " + max + " characters, has " + value.length());
        }
    }

    private static X500Principal x500Principal(X509CertificateHolder holder) throws IOException {
        return new X500Principal(holder.getSubject().getEncoded());
    }

    /** A new signer each time: a ContentSigner holds a Signature object, which is not thread-safe. */
    ContentSigner newSigner() throws OperatorCreationException {
        return new JcaContentSignerBuilder(caKeyType.signatureAlgorithm()).setProvider(signatureProvider)
                .setSecureRandom(random).build(caKey);
    }

    private static CaKeyType keyTypeOf(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return CaKeyType.of("RSA", rsa.getModulus().bitLength());
        }
        if (key instanceof ECPublicKey ec) {
            return CaKeyType.of("EC", ec.getParams().getCurve().getField().getFieldSize());
        }
        throw new IllegalArgumentException("unsupported CA key algorithm " + key.getAlgorithm());
    }

    /** The CA certificate (self-signed). */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** The CA certificate's DER encoding, as served at {@code /ca.crt}. */
    public byte[] caCertificateDer() {
        return caDer.clone();
    }

    @Override
    public List<byte[]> caChain() {
        return List.of(caDer.clone());
    }

    /** True: this CA signs here with the key it holds; the pipeline need not verify what it signed. */
    @Override
    public boolean signsWithHeldKey() {
        return true;
    }

    /** The key type of the CA's actual key (which decides the signature algorithm). */
    public CaKeyType keyType() {
        return caKeyType;
    }

    public CaSettings settings() {
        return settings;
    }

    X509CertificateHolder caHolder() {
        return caHolder;
    }

    PrivateKey caKey() {
        return caKey;
    }

    SecureRandom random() {
        return random;
    }

    BouncyCastleProvider provider() {
        return provider;
    }

    /**
     * The crypto provider {@link CaSettings#cryptoProvider()} resolved to (ACCP or Bouncy Castle), an
     * instance not registered globally: pass it to the pipeline so that CSRs are verified by it too,
     * {@code EnrollmentService.builder().pipeline(p -> p.csrVerificationProvider(ca.cryptoProvider()))}.
     */
    public java.security.Provider cryptoProvider() {
        return crypto.provider();
    }

    /** What {@link CaSettings#cryptoProvider()} resolved to: {@code ACCP} or {@code BOUNCY_CASTLE}, never {@code AUTO}. */
    public CryptoProviderChoice cryptoProviderChoice() {
        return crypto.choice();
    }

    /** The provider that signs with the CA key (the token's, for a PKCS#11 key). */
    java.security.Provider signatureProvider() {
        return signatureProvider;
    }

    /** Whether the CA key is in a PKCS#11 token. */
    public boolean keyInToken() {
        return settings.pkcs11() != null;
    }

    Clock clock() {
        return clock;
    }
}
