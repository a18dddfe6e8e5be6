package org.autoenroll.ca;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.autoenroll.api.SecretRef;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * What the {@link BuiltInCa} needs to start: its subject, key type, where its PKCS#12 keystore
 * lives and the reference to that keystore's password, and the public base URL under which the
 * server publishes the CA certificate ({@code /ca.crt}), the CRL ({@code /crl}), the delta CRL
 * ({@code /crl/delta}) and the OCSP responder ({@code /ocsp}); and whether OCSP responses are
 * signed by the CA key itself or by a delegated OCSP signing certificate.
 *
 * <p>Built with {@link #builder()}, which checks every value in {@link Builder#build()}.
 * Immutable and thread-safe.
 */
public final class CaSettings {
    /** Default lifetime of a newly generated CA certificate. */
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);
    /** Default lifetime of the server's own TLS certificate (the CA/Browser Forum maximum). */
    public static final Duration DEFAULT_TLS_VALIDITY = Duration.ofDays(397);

    private final String subjectDn;
    private final CaKeyType keyType;
    private final Path keystorePath;
    private final SecretRef keystorePassword;
    private final String baseUrl;
    private final Duration caValidity;
    private final Duration tlsValidity;
    private final boolean ocspDelegatedSigner;
    private final Pkcs11Settings pkcs11;
    private final CryptoProviderChoice cryptoProvider;

    private CaSettings(Builder b) {
        this.pkcs11 = b.pkcs11;
        this.cryptoProvider = b.cryptoProvider;
        this.subjectDn = b.subjectDn;
        this.keyType = b.keyType;
        this.keystorePath = b.keystorePath;
        this.keystorePassword = b.keystorePassword;
        this.baseUrl = b.baseUrl;
        this.caValidity = b.caValidity;
        this.tlsValidity = b.tlsValidity;
        this.ocspDelegatedSigner = b.ocspDelegatedSigner;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The CA's subject DN, e.g. {@code CN=autoenroll demo CA,O=Example}. */
    public String subjectDn() {
        return subjectDn;
    }

    /** The key type generated on first start (an existing keystore keeps its own key). */
    public CaKeyType keyType() {
        return keyType;
    }

    public Path keystorePath() {
        return keystorePath;
    }

    public SecretRef keystorePassword() {
        return keystorePassword;
    }

    /** The base URL without a trailing slash, e.g. {@code https://localhost:8443}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** {@code baseUrl + "/crl"}: the CRL distribution point put into every certificate. */
    public String crlUrl() {
        return baseUrl + "/crl";
    }

    /** {@code baseUrl + "/ca.crt"}: the AIA caIssuers location put into every certificate. */
    public String caCertificateUrl() {
        return baseUrl + "/ca.crt";
    }

    /** {@code baseUrl + "/crl/delta"}: the FreshestCRL (delta CRL) location put into every certificate. */
    public String deltaCrlUrl() {
        return baseUrl + "/crl/delta";
    }

    /** {@code baseUrl + "/ocsp"}: the AIA OCSP location put into every certificate. */
    public String ocspUrl() {
        return baseUrl + "/ocsp";
    }

    /**
     * Whether OCSP responses are signed by a delegated OCSP signing certificate (true) or by the
     * CA key (false, the default).
     */
    public boolean ocspDelegatedSigner() {
        return ocspDelegatedSigner;
    }

    /**
     * Where the delegated OCSP signer's key and certificate are kept: {@code ocsp-signer.p12}
     * beside the CA keystore, under the same password.
     */
    public Path ocspSignerKeystorePath() {
        return keystorePath.toAbsolutePath().resolveSibling("ocsp-signer.p12");
    }

    public Duration caValidity() {
        return caValidity;
    }

    /**
     * The PKCS#11 token holding the CA key and certificate, or null when they are in the PKCS#12
     * file at {@link #keystorePath()}.
     */
    public Pkcs11Settings pkcs11() {
        return pkcs11;
    }

    public Duration tlsValidity() {
        return tlsValidity;
    }

    /** Which provider signs with a PKCS#12 CA key and verifies CSRs; see {@link CryptoProviderChoice}. */
    public CryptoProviderChoice cryptoProvider() {
        return cryptoProvider;
    }

    @Override
    public String toString() {
        // the password reference prints as the reference only (SecretRef never shows the secret)
        return "CaSettings[subjectDn=" + subjectDn + ", keyType=" + keyType + ", keystorePath=" + keystorePath
                + ", keystorePassword=" + keystorePassword + ", baseUrl=" + baseUrl + ", caValidity=" + caValidity
                + ", ocspDelegatedSigner=" + ocspDelegatedSigner + ", cryptoProvider=" + cryptoProvider + (pkcs11 == null ? "" : ", pkcs11=" + pkcs11) + "]";
    }

    /** Collects and checks the settings. Not thread-safe. */
    public static final class Builder {
        private String subjectDn;
        private CaKeyType keyType = CaKeyType.EC_P256;
        private Path keystorePath;
        private SecretRef keystorePassword;
        private String baseUrl;
        private Duration caValidity = DEFAULT_CA_VALIDITY;
        private Duration tlsValidity = DEFAULT_TLS_VALIDITY;
        private boolean ocspDelegatedSigner;
        private Pkcs11Settings pkcs11;
        private CryptoProviderChoice cryptoProvider = CryptoProviderChoice.AUTO;

        private Builder() {
        }

        public Builder subjectDn(String subjectDn) {
            this.subjectDn = subjectDn;
            return this;
        }

        /** Defaults to {@link CaKeyType#EC_P256}. */
        public Builder keyType(CaKeyType keyType) {
            this.keyType = keyType;
            return this;
        }

        public Builder keystorePath(Path keystorePath) {
            this.keystorePath = keystorePath;
            return this;
        }

        public Builder keystorePassword(SecretRef keystorePassword) {
            this.keystorePassword = keystorePassword;
            return this;
        }

        /** An absolute http(s) URL; a trailing slash is dropped. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Defaults to {@link #DEFAULT_CA_VALIDITY}; used only when the CA is generated. */
        public Builder caValidity(Duration caValidity) {
            this.caValidity = caValidity;
            return this;
        }

        /** Defaults to {@link #DEFAULT_TLS_VALIDITY}. */
        public Builder tlsValidity(Duration tlsValidity) {
            this.tlsValidity = tlsValidity;
            return this;
        }

        /**
         * True: OCSP responses are signed by a delegated OCSP signing certificate (EKU
         * id-kp-OCSPSigning, id-pkix-ocsp-nocheck) that the CA issues and keeps at
         * {@link CaSettings#ocspSignerKeystorePath()}. Defaults to false: the CA key signs.
         */
        public Builder ocspDelegatedSigner(boolean ocspDelegatedSigner) {
            this.ocspDelegatedSigner = ocspDelegatedSigner;
            return this;
        }

        /**
         * Keeps the CA key (generated there on first start, never extractable) and the CA
         * certificate in a PKCS#11 token instead of a PKCS#12 file. The keystore path and password
         * are then needed only with {@link #ocspDelegatedSigner(boolean)}, for the delegated
         * signer's PKCS#12 file ({@link CaSettings#ocspSignerKeystorePath()}, beside the keystore path).
         */
        public Builder pkcs11(Pkcs11Settings pkcs11) {
            this.pkcs11 = pkcs11;
            return this;
        }

        /**
         * Which provider makes the CA's signatures (with a PKCS#12 key) and verifies CSRs. Defaults to
         * {@link CryptoProviderChoice#AUTO}: native when it loads, else Bouncy Castle.
         */
        public Builder cryptoProvider(CryptoProviderChoice cryptoProvider) {
            this.cryptoProvider = cryptoProvider;
            return this;
        }

        /** @throws IllegalArgumentException naming the first missing or invalid setting */
        public CaSettings build() {
            require(subjectDn != null && !subjectDn.isBlank(), "subjectDn is missing");
            require(subjectDn.length() <= 1024, "subjectDn is longer than 1024 characters");
            try {
                X500Name name = new X500Name(BCStyle.INSTANCE, subjectDn);
                require(name.getRDNs().length > 0, "subjectDn has no attribute");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("subjectDn is not a valid DN: " + e.getMessage(), e);
            }
            require(keyType != null, "keyType is missing");
            require(cryptoProvider != null, "cryptoProvider is missing");
            boolean needsKeystore = pkcs11 == null || ocspDelegatedSigner;
            require(!needsKeystore || keystorePath != null, "keystorePath is missing");
            require(!needsKeystore || keystorePassword != null, "keystorePassword is missing");
            require(baseUrl != null && !baseUrl.isBlank(), "baseUrl is missing");
            baseUrl = checkBaseUrl(baseUrl.strip());
            require(caValidity != null && !caValidity.isNegative() && caValidity.compareTo(Duration.ofDays(1)) >= 0,
                    "caValidity must be at least one day");
            require(tlsValidity != null && !tlsValidity.isNegative() && !tlsValidity.isZero(),
                    "tlsValidity must be positive");
            return new CaSettings(this);
        }

        private static String checkBaseUrl(String url) {
            String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            URI uri;
            try {
                uri = new URI(trimmed);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("baseUrl is not a URL: " + e.getReason(), e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            require(scheme.equals("http") || scheme.equals("https"), "baseUrl must be an http or https URL");
            require(uri.getHost() != null, "baseUrl has no host");
            require(uri.getQuery() == null && uri.getFragment() == null, "baseUrl must have no query or fragment");
            return trimmed;
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
