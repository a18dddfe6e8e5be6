package org.autoenroll.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the CA key and certificate in a PKCS#11 token through a SunPKCS11 provider instance
 * configured for this CA alone ({@code Security.getProvider("SunPKCS11").configure(...)}; never
 * added to the global provider list). On first start the key pair is generated in the token
 * (private, sensitive, not extractable token objects) and the self-signed CA certificate is stored
 * in the token under the same alias, beside the key (SoftHSM2 and HSMs accept certificate objects).
 *
 * <p>Stateless. Two instances starting at once on an empty token could each generate a key; start
 * the first one alone.
 */
final class Pkcs11CaKey {
    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11CaKey.class);

    /** The token's provider instance and the CA key (a handle, not the key material) and certificate. */
    record Opened(Provider provider, CaKeystore.Entry entry) {
    }

    private Pkcs11CaKey() {
    }

    static Opened open(CaSettings settings, Clock clock, BouncyCastleProvider bc, SecureRandom random)
            throws CaStartupException {
        Pkcs11Settings token = settings.pkcs11();
        Provider provider = configure(token);
        char[] pin;
        try {
            pin = token.pin().resolve();
        } catch (IOException e) {
            throw new CaStartupException(CaStartupException.Reason.PASSWORD_UNAVAILABLE,
                    "cannot read the PKCS#11 PIN from " + token.pin() + ": " + e.getMessage(), e);
        }
        try {
            KeyStore store = login(provider, token, pin);
            CaKeystore.Entry existing = read(store, token);
            if (existing != null) {
                return new Opened(provider, existing);
            }
            CaKeystore.Entry created = BuiltInCa.generate(settings, clock, provider, bc, random);
            try {
                store.setKeyEntry(token.keyAlias(), created.key(), null, new Certificate[] {created.certificate()});
            } catch (GeneralSecurityException | ProviderException e) {
                throw new CaStartupException(CaStartupException.Reason.CREATION_FAILED,
                        "the PKCS#11 token " + token + " did not store the CA key and certificate: "
                                + e.getClass().getSimpleName(), e);
            }
            CaKeystore.Entry stored = read(store, token);
            if (stored == null) {
                throw new CaStartupException(CaStartupException.Reason.CREATION_FAILED,
                        "the PKCS#11 token " + token + " does not show the CA key just stored", null);
            }
            LOG.info("generated CA {} ({}) in PKCS#11 token {}", settings.subjectDn(), settings.keyType(), token);
            return new Opened(provider, stored);
        } finally {
            CaKeystore.clear(pin);
        }
    }

    private static Provider configure(Pkcs11Settings token) throws CaStartupException {
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "this JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki)", null);
        }
        try {
            return base.configure(token.sunPkcs11Config());
        } catch (ProviderException | IllegalArgumentException | UnsupportedOperationException e) {
            // a missing library, a slot without a token, a bad configuration
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "cannot open PKCS#11 token " + token + ": " + rootMessage(e), e);
        }
    }

    private static KeyStore login(Provider provider, Pkcs11Settings token, char[] pin) throws CaStartupException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, pin);
            return store;
        } catch (IOException e) {
            if (isLoginFailure(e)) {
                throw new CaStartupException(CaStartupException.Reason.WRONG_PASSWORD,
                        "the PIN does not open PKCS#11 token " + token, e);
            }
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "cannot log in to PKCS#11 token " + token + ": " + rootMessage(e), e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "cannot read PKCS#11 token " + token + ": " + rootMessage(e), e);
        }
    }

    private static CaKeystore.Entry read(KeyStore store, Pkcs11Settings token) throws CaStartupException {
        try {
            if (!store.containsAlias(token.keyAlias())) {
                return null;
            }
            Key key = store.getKey(token.keyAlias(), null);
            Certificate certificate = store.getCertificate(token.keyAlias());
            if (!(key instanceof PrivateKey privateKey) || !(certificate instanceof X509Certificate x509)) {
                throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID, "PKCS#11 token " + token
                        + " has no private key and certificate under alias '" + token.keyAlias() + "'", null);
            }
            return new CaKeystore.Entry(privateKey, x509);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "cannot read the CA key in PKCS#11 token " + token + ": " + rootMessage(e), e);
        }
    }

    private static boolean isLoginFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.security.auth.login.FailedLoginException
                    || String.valueOf(t.getMessage()).contains("CKR_PIN_INCORRECT")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message: SunPKCS11 wraps the PKCS#11 error code (CKR_...) deep inside. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
